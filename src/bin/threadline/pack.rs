//! `threadline pack` and `threadline comment`: review packs between the author and the panel
//! chair (send a full copy, return the chair's comments, import them), and comments on the
//! words of a section, so the whole exchange can be scripted.
//!
//! `--as NAME --role ROLE` say who is working; they are written into comments, the audit log
//! and a return pack (which carries what that person did in their copy). A protected file's
//! passphrase is read from `THREADLINE_PASSPHRASE`, or asked for, as for every command.

use std::path::PathBuf;

use clap::Subcommand;
use serde_json::{json, Value};
use threadline::anchor::AnchorPlace;
use threadline::model::comments::{Comment, CommentFilter, CommentTarget};
use threadline::{Error, Review};

use super::who::Who;

/// The `threadline pack` commands.
#[derive(Subcommand)]
pub enum PackCommand {
    /// Write a full copy of the review for the panel chair (a normal review file).
    Send {
        /// The review file.
        file: PathBuf,
        /// The copy to write; it must not exist.
        #[arg(short, long)]
        out: PathBuf,
        #[command(flatten)]
        who: Who,
    },
    /// Write a small pack of what the person working did in this copy: their comments,
    /// replies, resolutions and approvals.
    Return {
        /// The review file (the chair's copy).
        file: PathBuf,
        /// The pack to write; it must not exist.
        #[arg(short, long)]
        out: PathBuf,
        #[command(flatten)]
        who: Who,
    },
    /// Merge a returned pack into this review: new comments are added, re-anchored on the
    /// current text, and those whose words are gone are listed as orphaned. Importing the
    /// same pack again changes nothing.
    Import {
        /// The review file.
        file: PathBuf,
        /// The return pack.
        pack: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        who: Who,
    },
}

/// The `threadline comment` commands.
#[derive(Subcommand)]
pub enum CommentCommand {
    /// Comment on a section, or on the words of it given by --quote.
    Add {
        /// The review file.
        file: PathBuf,
        /// The section's id.
        #[arg(long)]
        section: String,
        /// The words commented on; they must appear once in the section.
        #[arg(long)]
        quote: Option<String>,
        /// The comment.
        #[arg(long)]
        body: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        who: Who,
    },
    /// Reply to a comment.
    Reply {
        /// The review file.
        file: PathBuf,
        /// The comment replied to.
        id: String,
        /// The reply.
        #[arg(long)]
        body: String,
        #[command(flatten)]
        who: Who,
    },
    /// Resolve a thread, or reopen it with --reopen.
    Resolve {
        /// The review file.
        file: PathBuf,
        /// The thread's first comment.
        id: String,
        /// Open the thread again.
        #[arg(long)]
        reopen: bool,
        #[command(flatten)]
        who: Who,
    },
    /// List comment threads, with where each quote stands in its section now.
    List {
        /// The review file.
        file: PathBuf,
        /// Only threads on this section.
        #[arg(long)]
        section: Option<String>,
        /// Only threads this person started or replied to.
        #[arg(long)]
        author: Option<String>,
        /// Only open threads.
        #[arg(long, conflicts_with = "resolved")]
        open: bool,
        /// Only resolved threads.
        #[arg(long)]
        resolved: bool,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// What a command prints.
pub enum Output {
    Lines(Vec<String>),
    Json(Value),
}

/// Runs a `pack` subcommand.
pub fn pack(command: PackCommand) -> Result<Output, Error> {
    match command {
        PackCommand::Send { file, out, who } => {
            let mut review = who.open(&file)?;
            let written = review.send_pack(&out)?;
            review.close()?;
            Ok(Output::Lines(vec![format!(
                "wrote {} ({} bytes, {} comments)",
                out.display(),
                written.bytes,
                written.comments
            )]))
        }
        PackCommand::Return { file, out, who } => {
            let review = who.open(&file)?;
            let written = review.return_pack(&out)?;
            Ok(Output::Lines(vec![format!(
                "wrote {}: {} comments and replies, {} approvals by {}",
                out.display(),
                written.comments,
                written.approvals,
                review.actor().name
            )]))
        }
        PackCommand::Import {
            file,
            pack,
            json,
            who,
        } => {
            let mut review = who.open(&file)?;
            let report = review.import_pack(&pack)?;
            review.close()?;
            if json {
                return Ok(Output::Json(serde_json::to_value(&report)?));
            }
            let mut lines = vec![
                format!(
                    "imported the pack from {}: {} merged, {} updated, {} unchanged",
                    report.made_by, report.merged, report.updated, report.unchanged
                ),
                format!("{} re-anchored", report.reanchored),
                format!("{} orphaned", report.orphaned.len()),
            ];
            for o in &report.orphaned {
                lines.push(format!("  orphaned {}: \"{}\"", o.comment_id, o.quote));
            }
            for s in &report.skipped {
                lines.push(format!("  skipped {s}"));
            }
            Ok(Output::Lines(lines))
        }
    }
}

/// Runs a `comment` subcommand.
pub fn comment(command: CommentCommand) -> Result<Output, Error> {
    match command {
        CommentCommand::Add {
            file,
            section,
            quote,
            body,
            json,
            who,
        } => {
            let mut review = who.open(&file)?;
            let c = match quote {
                Some(q) => review.comment_on_quote(CommentTarget::Section, &section, &q, &body)?,
                None => review.add_comment(CommentTarget::Section, &section, None, &body)?,
            };
            review.close()?;
            if json {
                return Ok(Output::Json(serde_json::to_value(&c)?));
            }
            Ok(Output::Lines(vec![format!("added comment {}", c.id)]))
        }
        CommentCommand::Reply {
            file,
            id,
            body,
            who,
        } => {
            let mut review = who.open(&file)?;
            let c = review.reply(&id, &body)?;
            review.close()?;
            Ok(Output::Lines(vec![format!("added reply {}", c.id)]))
        }
        CommentCommand::Resolve {
            file,
            id,
            reopen,
            who,
        } => {
            let mut review = who.open(&file)?;
            let c = review.resolve_comment(&id, !reopen)?;
            review.close()?;
            let state = if c.resolved { "resolved" } else { "open" };
            Ok(Output::Lines(vec![format!("comment {} is {state}", c.id)]))
        }
        CommentCommand::List {
            file,
            section,
            author,
            open,
            resolved,
            json,
        } => {
            let review = Review::open(&file, super::security::context_for(&file)?)?;
            let filter = CommentFilter {
                author,
                resolved: (open || resolved).then_some(resolved),
                target_kind: section.as_ref().map(|_| CommentTarget::Section),
                target_id: section,
            };
            let threads = review.comments(&filter)?;
            // Where each quote on a section stands in its text now.
            let mut placed: Vec<(Comment, Option<AnchorPlace>)> = Vec::new();
            for t in threads {
                let place = match (&t.anchor, t.target_kind) {
                    (Some(_), CommentTarget::Section) => review
                        .comment_positions(&t.target_id)
                        .ok()
                        .and_then(|ps| ps.into_iter().find(|p| p.comment.id == t.id))
                        .and_then(|p| p.place),
                    _ => None,
                };
                placed.push((t, place));
            }
            if json {
                let list: Vec<Value> = placed
                    .iter()
                    .map(|(c, place)| json!({ "comment": c, "place": place }))
                    .collect();
                return Ok(Output::Json(Value::Array(list)));
            }
            let mut lines = Vec::new();
            for (c, place) in &placed {
                let state = if c.resolved { "resolved" } else { "open" };
                let quote = match (&c.anchor, place) {
                    (None, _) => String::new(),
                    (Some(a), Some(AnchorPlace::Orphaned)) => {
                        format!(" on \"{}\" (orphaned)", a.exact)
                    }
                    (Some(a), _) => format!(" on \"{}\"", a.exact),
                };
                lines.push(format!(
                    "{} [{state}] {} ({}){quote}: {}",
                    c.id, c.author, c.role, c.body
                ));
                for r in &c.replies {
                    lines.push(format!("    {} ({}): {}", r.author, r.role, r.body));
                }
            }
            if lines.is_empty() {
                lines.push("no comments".into());
            }
            Ok(Output::Lines(lines))
        }
    }
}
