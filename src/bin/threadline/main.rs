//! `threadline`: the command line over the core. Every command opens the review, does one
//! thing, and prints either text for people or JSON for scripts (`--json`). Errors are one line
//! on stderr with a non-zero exit, and a failed command leaves the file as it was.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde_json::json;
use threadline::model::details::{DetailsInput, ReviewType};
use threadline::model::sources::{read_plain_text, SourceInput, SourceKind};
use threadline::search::SearchQuery;
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
        /// Protect the file with a passphrase (from THREADLINE_PASSPHRASE, or asked for).
        #[arg(long)]
        encrypt: bool,
    },
    /// Show a review's details and how much it holds.
    Info {
        /// The review file.
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Import a plain-text document as a source: one paragraph per line or blank-line block.
    ImportText {
        /// The review file.
        file: PathBuf,
        /// The UTF-8 text file to import.
        text: PathBuf,
        /// The source's title (defaults to the text file's name).
        #[arg(long)]
        title: Option<String>,
        /// The kind of source: imr, chronology, interview, minutes, health_overview,
        /// prior_review or other.
        #[arg(long, default_value = "other")]
        kind: String,
        /// The agency the source comes from, by name or short name (must exist).
        #[arg(long)]
        agency: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Import a file: a Word (.docx) or text document becomes a source, a .csv or .xlsx
    /// chronology becomes chronology entries. One undoable change; a refused file writes
    /// nothing.
    Import(import::ImportArgs),
    /// Run the quality checks: list what to fix before the report goes to the board. Exits
    /// with status 1 when any result is an error.
    Check(check::CheckArgs),
    /// Export the overview report or executive summary (docx, html, md), or the action plan,
    /// chronology or coverage matrix (xlsx, csv, or a table in docx, html, md).
    Export(export::ExportArgs),
    /// The pseudonym register: add an entry, or list them.
    #[command(subcommand)]
    Pseudonym(pseudonym::PseudonymCommand),
    /// Rewrite the review file so that deleted or replaced text (an old real name) leaves no
    /// trace in the file or its write-ahead log.
    Compact {
        /// The review file.
        file: PathBuf,
    },
    /// Search everything in a review; each hit says where it is.
    Search {
        /// The review file.
        file: PathBuf,
        /// The words to look for; any text is accepted ("quoted phrase", prefix*).
        #[arg(required = true, num_args = 1..)]
        words: Vec<String>,
        /// Only these kinds of record (repeatable): paragraph, excerpt, chronology_entry,
        /// finding, recommendation, action, section, theme, tor_item, source.
        #[arg(long = "kind")]
        kinds: Vec<String>,
        /// How many hits to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// How many of the best hits to skip (for the next page).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write the whole review as stable, sorted JSON (to stdout, or to --out).
    Dump {
        /// The review file.
        file: PathBuf,
        /// Write to this file instead of stdout; it must not exist.
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Recreate a review from a JSON dump, as a new file.
    Load {
        /// The JSON written by `threadline dump`.
        json: PathBuf,
        /// The review file to create; it must not exist.
        new_file: PathBuf,
    },
    /// Write the bundled demo review (an invented case) to a new file.
    Demo {
        /// The review file to create; it must not exist.
        out: PathBuf,
    },
    /// Issued drafts: issue one, list them, export one as it was issued.
    #[command(subcommand)]
    Draft(drafts::DraftCommand),
    /// What changed between two drafts, or a draft and now; as text, JSON, HTML or a Word file
    /// with tracked changes.
    Diff(drafts::DiffArgs),
    /// Approve a section of an issued draft, or request changes to it.
    Approve(drafts::ApproveArgs),
    /// List the verdicts on sections, each marked stale when the section changed since.
    Approvals(drafts::ApprovalsArgs),
    /// Review packs: send a full copy to the panel chair, return the chair's comments,
    /// import them back.
    #[command(subcommand)]
    Pack(pack::PackCommand),
    /// Comments on sections: add one (on quoted words), reply, resolve, list.
    #[command(subcommand)]
    Comment(pack::CommentCommand),
    /// Check a review file: integrity, that it is a Threadline review, and its schema version.
    /// Exits with status 1 when it is damaged or not a review.
    Verify(security::VerifyArgs),
    /// Write a checked copy of a review: into its backups folder, or to --out.
    Backup(security::BackupArgs),
    /// Protect a review with a passphrase, change it, or remove it (the new passphrase from
    /// THREADLINE_NEW_PASSPHRASE, or asked for twice).
    Passphrase(security::PassphraseArgs),
    #[command(hide = true)]
    CrashWriter(security::CrashWriterArgs),
    /// Count every kind of record in a review.
    Stats {
        /// The review file.
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

mod check;
mod drafts;
mod export;
mod import;
mod pack;
mod pseudonym;
mod security;
mod who;

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

/// Prints one line to stdout. A closed pipe (`threadline search … | head`) ends the program
/// quietly instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => { emit(format_args!($($arg)*)) };
}

fn emit(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    if let Err(e) = writeln!(std::io::stdout().lock(), "{args}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("threadline: cannot write the output: {e}");
        std::process::exit(1);
    }
}

/// Parses a command-line choice, naming the option in the error.
fn choice<T: std::str::FromStr>(option: &str, value: &str, allowed: &[&str]) -> Result<T, Error> {
    value.parse().map_err(|_| {
        Error::invalid(
            option,
            format!("'{value}' is not one of: {}", allowed.join(", ")),
        )
    })
}

fn open(file: &Path) -> Result<Review, Error> {
    Review::open(file, security::context_for(file)?)
}

/// The id of the agency called `name` (full or short name, ignoring case).
fn find_agency(review: &Review, name: &str) -> Result<String, Error> {
    let wanted = name.trim().to_lowercase();
    review
        .agencies()?
        .into_iter()
        .find(|a| a.name.to_lowercase() == wanted || a.short_name.to_lowercase() == wanted)
        .map(|a| a.id)
        .ok_or_else(|| {
            Error::invalid(
                "agency",
                format!("no agency called '{name}' in this review"),
            )
        })
}

/// Writes a file that must not exist yet, so nothing is overwritten by accident.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::AlreadyExists {
                path: path.to_owned(),
            },
            _ => Error::Io {
                context: format!("cannot create {}", path.display()),
                source: e,
            },
        })?;
    f.write_all(bytes).and_then(|_| f.sync_all()).map_err(|e| {
        let _ = std::fs::remove_file(path);
        Error::Io {
            context: format!("cannot write {}", path.display()),
            source: e,
        }
    })
}

fn print_json(value: &impl serde::Serialize) -> Result<(), Error> {
    out!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::New {
            file,
            title,
            review_type,
            encrypt,
        } => {
            let names: Vec<&str> = ReviewType::ALL.iter().map(|k| k.as_str()).collect();
            let review_type: ReviewType = choice("--type", &review_type, &names)?;
            let mut ctx = Context::default();
            if encrypt {
                ctx =
                    ctx.with_passphrase(security::new_passphrase(Some(security::PASSPHRASE_VAR))?);
            }
            let mut review = Review::create(&file, ctx)?;
            let d = review.details()?;
            review.update_details(DetailsInput {
                title,
                review_type,
                ..DetailsInput::from(d)
            })?;
            review.close()?;
            out!("created {}", file.display());
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
                out!("{title}");
                out!(
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
                    out!("  review period {s} to {e}");
                }
                for t in &stats.tables {
                    if t.rows > 0 {
                        out!("  {:<24} {}", t.table, t.rows);
                    }
                }
                out!("  {:<24} {}", "source words", stats.source_words);
            }
        }
        Command::ImportText {
            file,
            text,
            title,
            kind,
            agency,
            json,
        } => {
            let names: Vec<&str> = SourceKind::ALL.iter().map(|k| k.as_str()).collect();
            let kind: SourceKind = choice("--kind", &kind, &names)?;
            let body = read_plain_text(&text)?;
            let title = title.unwrap_or_else(|| {
                text.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
            let mut review = open(&file)?;
            let agency_id = match agency {
                None => None,
                Some(name) => Some(find_agency(&review, &name)?),
            };
            let source = review.import_text(
                SourceInput {
                    kind,
                    agency_id,
                    title,
                    ..SourceInput::default()
                },
                &body,
            )?;
            if json {
                print_json(&source)?;
            } else {
                out!(
                    "imported \"{}\": {} paragraphs",
                    source.title,
                    source.paragraph_count
                );
            }
        }
        Command::Check(args) => {
            let outcome = check::run(&args)?;
            if args.json {
                print_json(&outcome.report)?;
            } else {
                for line in &outcome.lines {
                    out!("{line}");
                }
            }
            if outcome.has_errors() {
                use std::io::Write;
                let _ = std::io::stdout().flush();
                std::process::exit(1);
            }
        }
        Command::Export(args) => {
            let outcome = export::run(&args)?;
            for w in &outcome.warnings {
                eprintln!("threadline: warning: {w}");
            }
            out!("{}", outcome.line);
        }
        Command::Pseudonym(command) => match pseudonym::run(&command)? {
            pseudonym::Output::Lines(lines) => {
                for line in lines {
                    out!("{line}");
                }
            }
            pseudonym::Output::Json(value) => print_json(&value)?,
        },
        Command::Compact { file } => {
            let mut review = open(&file)?;
            let report = review.compact()?;
            review.close()?;
            out!(
                "compacted {} ({} bytes before, {} after)",
                file.display(),
                report.bytes_before,
                report.bytes_after
            );
        }
        Command::Import(args) => {
            let mut review = open(&args.file)?;
            let report = import::run(&mut review, &args)?;
            if args.json {
                print_json(&report.json)?;
            } else {
                for line in &report.lines {
                    out!("{line}");
                }
            }
        }
        Command::Search {
            file,
            words,
            kinds,
            limit,
            offset,
            json,
        } => {
            let review = open(&file)?;
            let page = review.search(&SearchQuery {
                text: words.join(" "),
                kinds: (!kinds.is_empty()).then_some(kinds),
                offset,
                limit,
            })?;
            if json {
                print_json(&page)?;
            } else if page.hits.is_empty() {
                out!("no matches");
            } else {
                for hit in &page.hits {
                    out!("{}\n    {}", hit.location.label, hit.snippet);
                }
                let more = if page.total_capped { "+" } else { "" };
                out!(
                    "showing {}-{} of {}{more}",
                    offset + 1,
                    offset + page.hits.len(),
                    page.total
                );
            }
        }
        Command::Dump { file, out } => {
            let review = open(&file)?;
            let text = threadline::interchange::dump(&review)?;
            match out {
                None => {
                    use std::io::Write;
                    let mut stdout = std::io::stdout().lock();
                    if let Err(e) = stdout
                        .write_all(text.as_bytes())
                        .and_then(|_| stdout.flush())
                    {
                        if e.kind() != std::io::ErrorKind::BrokenPipe {
                            return Err(Error::Io {
                                context: "cannot write the dump".into(),
                                source: e,
                            });
                        }
                    }
                }
                Some(path) => write_new(&path, text.as_bytes())?,
            }
        }
        Command::Load { json, new_file } => {
            let review = threadline::interchange::load_file(&json, &new_file, Context::default())?;
            review.close()?;
            out!("created {} from {}", new_file.display(), json.display());
        }
        Command::Demo { out } => {
            let review = threadline::demo::build_demo(&out, Context::default())?;
            let title = review.details()?.title;
            review.close()?;
            out!("created {} ({title})", out.display());
        }
        Command::Draft(command) => drafts::draft(command)?,
        Command::Diff(args) => drafts::diff(args)?,
        Command::Approve(args) => drafts::approve(args)?,
        Command::Approvals(args) => drafts::approvals(args)?,
        Command::Pack(command) => match pack::pack(command)? {
            pack::Output::Lines(lines) => lines.iter().for_each(|l| out!("{l}")),
            pack::Output::Json(value) => print_json(&value)?,
        },
        Command::Comment(command) => match pack::comment(command)? {
            pack::Output::Lines(lines) => lines.iter().for_each(|l| out!("{l}")),
            pack::Output::Json(value) => print_json(&value)?,
        },
        Command::Verify(args) => out!("{}", security::verify(&args)?),
        Command::Backup(args) => out!("{}", security::backup(&args)?),
        Command::Passphrase(args) => out!("{}", security::passphrase(&args)?),
        Command::CrashWriter(args) => security::crash_writer(&args)?,
        Command::Stats { file, json } => {
            let review = open(&file)?;
            let stats = review.stats()?;
            if json {
                print_json(&stats)?;
            } else {
                for t in &stats.tables {
                    out!("{:<24} {}", t.table, t.rows);
                }
                out!("{:<24} {}", "source words", stats.source_words);
                out!("{:<24} {}", "changes", stats.changes);
                out!("{:<24} {}", "file bytes", stats.file_bytes);
            }
        }
    }
    Ok(())
}
