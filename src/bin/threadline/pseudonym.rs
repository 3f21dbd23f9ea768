//! `threadline pseudonym`: the register of real names and the pseudonyms that replace them in
//! anything published.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use threadline::model::people::{PersonCategory, PersonInput};
use threadline::Error;

/// The `pseudonym` subcommands.
#[derive(Subcommand)]
pub enum PseudonymCommand {
    /// Add an entry to the register.
    Add(AddArgs),
    /// List the register: each real name, its aliases and its pseudonym.
    List {
        /// The review file.
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// The options of `threadline pseudonym add`.
#[derive(Args)]
pub struct AddArgs {
    /// The review file.
    pub file: PathBuf,
    /// The name as the source documents give it.
    #[arg(long)]
    pub real: String,
    /// The name used in published text ("Child S"). May be left out for an entry that is
    /// safe to name.
    #[arg(long, default_value = "")]
    pub pseudonym: String,
    /// Another name the documents use (repeatable): a nickname, a maiden name.
    #[arg(long = "alias")]
    pub aliases: Vec<String>,
    /// person, place or organisation.
    #[arg(long, default_value = "person")]
    pub category: String,
    /// The real name may appear in published text (a public body, a professional).
    #[arg(long)]
    pub safe: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs a `pseudonym` subcommand and returns the lines or JSON value to print.
pub fn run(command: &PseudonymCommand) -> Result<Output, Error> {
    match command {
        PseudonymCommand::Add(args) => {
            let category: PersonCategory = super::choice(
                "--category",
                &args.category.trim().to_lowercase(),
                &["person", "place", "organisation"],
            )?;
            if args.pseudonym.trim().is_empty() && !args.safe {
                return Err(Error::invalid(
                    "--pseudonym",
                    format!(
                        "give a pseudonym for '{}', or --safe when the name may be published",
                        args.real.trim()
                    ),
                ));
            }
            let mut review = crate::open(&args.file)?;
            let person = review.add_person(PersonInput {
                category,
                real_name: args.real.clone(),
                aliases: args.aliases.clone(),
                pseudonym: args.pseudonym.clone(),
                role: String::new(),
                relation: String::new(),
                safe_to_name: args.safe,
            })?;
            review.close()?;
            if args.json {
                return Ok(Output::Json(serde_json::to_value(&person)?));
            }
            let shown = person.published_name().unwrap_or("").to_owned();
            Ok(Output::Lines(vec![format!(
                "added {} → {}{}",
                person.real_name,
                shown,
                if person.safe_to_name {
                    " (safe to name)"
                } else {
                    ""
                }
            )]))
        }
        PseudonymCommand::List { file, json } => {
            let review = crate::open(file)?;
            let people = review.people()?;
            if *json {
                return Ok(Output::Json(serde_json::to_value(&people)?));
            }
            let mut lines = Vec::new();
            for p in &people {
                let published = if p.safe_to_name && p.pseudonym.is_empty() {
                    "(safe to name)".to_owned()
                } else if p.pseudonym.is_empty() {
                    "(NO PSEUDONYM YET)".to_owned()
                } else {
                    p.pseudonym.clone()
                };
                let aliases = if p.aliases.is_empty() {
                    String::new()
                } else {
                    format!(" [also: {}]", p.aliases.join(", "))
                };
                lines.push(format!(
                    "{:<13} {} → {published}{aliases}",
                    p.category.as_str(),
                    p.real_name
                ));
            }
            if lines.is_empty() {
                lines.push("the register is empty".to_owned());
            }
            Ok(Output::Lines(lines))
        }
    }
}

/// What a subcommand prints.
pub enum Output {
    Lines(Vec<String>),
    Json(serde_json::Value),
}
