//! `threadline`: the command line over the core. Every command opens the review, does one
//! thing, and prints either text for people or JSON for scripts (`--json`). Errors are one line
//! on stderr with a non-zero exit, and a failed command leaves the file as it was.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::json;
use threadline::model::details::{DetailsInput, ReviewType};
use threadline::{Context, Error, Review};

#[derive(Parser)]
#[command(
    name = "threadline",
    version,
    about = "Work with Threadline safeguarding review files (*.threadline) from the command line"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new, empty review file.
    New {
        /// The file to create; it must not exist.
        file: PathBuf,
        /// The review's title.
        #[arg(long, default_value = "")]
        title: String,
        /// The kind of review: scr, cspr, sar, dhr or other.
        #[arg(long = "type", default_value = "cspr")]
        review_type: String,
    },
    /// Show a review's details and how much it holds.
    Info {
        /// The review file.
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Count every kind of record in a review.
    Stats {
        /// The review file.
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("threadline: {e}");
            ExitCode::FAILURE
        }
    }
}

fn open(file: &Path) -> Result<Review, Error> {
    Review::open(file, Context::default())
}

fn print_json(value: &impl serde::Serialize) -> Result<(), Error> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::New {
            file,
            title,
            review_type,
        } => {
            let review_type: ReviewType = review_type.parse()?;
            let mut review = Review::create(&file, Context::default())?;
            let d = review.details()?;
            review.update_details(DetailsInput {
                title,
                review_type,
                ..DetailsInput::from(d)
            })?;
            review.close()?;
            println!("created {}", file.display());
        }
        Command::Info { file, json } => {
            let review = open(&file)?;
            let details = review.details()?;
            let stats = review.stats()?;
            if json {
                print_json(&json!({
                    "path": file,
                    "schema_version": review.schema_version()?,
                    "details": details,
                    "stats": stats,
                }))?;
            } else {
                let title = if details.title.is_empty() {
                    "(untitled)"
                } else {
                    &details.title
                };
                println!("{title}");
                println!(
                    "  {} · status {} · {}",
                    details.review_type.as_str().to_uppercase(),
                    details.status,
                    if details.board.is_empty() {
                        "no board set"
                    } else {
                        &details.board
                    }
                );
                if let (Some(s), Some(e)) = (details.review_period_start, details.review_period_end)
                {
                    println!("  review period {s} to {e}");
                }
                for t in &stats.tables {
                    if t.rows > 0 {
                        println!("  {:<24} {}", t.table, t.rows);
                    }
                }
                println!("  {:<24} {}", "source words", stats.source_words);
            }
        }
        Command::Stats { file, json } => {
            let review = open(&file)?;
            let stats = review.stats()?;
            if json {
                print_json(&stats)?;
            } else {
                for t in &stats.tables {
                    println!("{:<24} {}", t.table, t.rows);
                }
                println!("{:<24} {}", "source words", stats.source_words);
                println!("{:<24} {}", "changes", stats.changes);
                println!("{:<24} {}", "file bytes", stats.file_bytes);
            }
        }
    }
    Ok(())
}
