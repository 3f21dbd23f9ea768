//! `threadline draft`, `diff`, `approve` and `approvals`: issue and list drafts, export one as
//! it was issued, show what changed between two drafts (or a draft and now) as text, JSON,
//! HTML or a Word file with tracked changes, and record the chair's verdict on a section.
//!
//! `--as NAME --role ROLE` say who is working; they are written into the audit log, the
//! draft and the approval.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::json;
use threadline::drafts::{
    export_diff_to_file, export_draft_to_file, ApprovalState, ChangeStatus, DraftRef, SegmentKind,
};
use threadline::export::{ExportDoc, ExportFormat, ExportRequest};
use threadline::model::sections::Document;
use threadline::report::CitationStyle;
use threadline::Error;

use super::who::Who;

/// The `threadline draft` commands.
#[derive(Subcommand)]
pub enum DraftCommand {
    /// Issue a draft: freeze the report, findings, recommendations and terms of reference as
    /// they are now, numbered after the last draft.
    Issue {
        /// The review file.
        file: PathBuf,
        /// The draft's label (default "Draft N").
        #[arg(long)]
        label: Option<String>,
        #[command(flatten)]
        who: Who,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List the issued drafts.
    List {
        /// The review file.
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Export the overview report or executive summary of an issued draft exactly as it was
    /// issued (docx, html or md).
    Export {
        /// The review file.
        file: PathBuf,
        /// The draft: its number, id or label.
        #[arg(long)]
        draft: String,
        /// overview or summary.
        #[arg(long, default_value = "overview")]
        doc: String,
        /// How citations are shown: footnotes or brackets.
        #[arg(long, default_value = "footnotes")]
        citations: String,
        /// The file to write (its extension gives the format); it must not exist.
        #[arg(long, short = 'o')]
        out: PathBuf,
    },
}

/// The options of `threadline diff`.
#[derive(Args)]
pub struct DiffArgs {
    /// The review file.
    pub file: PathBuf,
    /// The older side: a draft's number, id or label.
    #[arg(long)]
    pub from: String,
    /// The newer side: a draft, or `current` (the default) for the review as it is now.
    #[arg(long, default_value = "current")]
    pub to: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Also write the changes as an HTML page to this file (it must not exist).
    #[arg(long, value_name = "OUT")]
    pub html: Option<PathBuf>,
    /// Also write the changes as a Word file with tracked changes (it must not exist).
    #[arg(long, value_name = "OUT")]
    pub docx: Option<PathBuf>,
}

/// The options of `threadline approve`.
#[derive(Args)]
pub struct ApproveArgs {
    /// The review file.
    pub file: PathBuf,
    /// The section: its id, or its heading as it was in the draft.
    #[arg(long)]
    pub section: String,
    /// The draft the verdict is on: its number, id or label.
    #[arg(long)]
    pub draft: String,
    /// approved or changes-requested.
    #[arg(long)]
    pub state: String,
    /// A note with the verdict.
    #[arg(long, default_value = "")]
    pub note: String,
    #[command(flatten)]
    pub who: Who,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The options of `threadline approvals`.
#[derive(Args)]
pub struct ApprovalsArgs {
    /// The review file.
    pub file: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

fn line(text: String) {
    crate::emit(format_args!("{text}"));
}

/// Runs a `threadline draft` command.
pub fn draft(command: DraftCommand) -> Result<(), Error> {
    match command {
        DraftCommand::Issue {
            file,
            label,
            who,
            json,
        } => {
            let mut review = who.open(&file)?;
            let draft = review.issue_draft(label.as_deref())?;
            review.close()?;
            if json {
                crate::print_json(&draft.info)?;
            } else {
                line(format!(
                    "issued {} (draft {}) by {} ({})",
                    draft.info.label, draft.info.number, draft.info.issued_by, draft.info.role
                ));
            }
        }
        DraftCommand::List { file, json } => {
            let review = super::open(&file)?;
            let drafts = review.drafts()?;
            if json {
                crate::print_json(&drafts)?;
            } else if drafts.is_empty() {
                line("no drafts issued".into());
            } else {
                for d in drafts {
                    line(format!(
                        "{:>3}  {:<20} {}  {} ({})",
                        d.number, d.label, d.issued_at, d.issued_by, d.role
                    ));
                }
            }
        }
        DraftCommand::Export {
            file,
            draft,
            doc,
            citations,
            out,
        } => {
            let doc = match ExportDoc::from_cli(&doc) {
                Ok(d @ (ExportDoc::Overview | ExportDoc::Summary)) => d,
                _ => {
                    return Err(Error::invalid(
                        "--doc",
                        format!("'{doc}' is not one of: overview, summary"),
                    ))
                }
            };
            let format = ExportFormat::from_path(&out).ok_or_else(|| {
                Error::invalid(
                    "--out",
                    "the output file needs a .docx, .html or .md extension",
                )
            })?;
            let citations: CitationStyle = citations.trim().parse().map_err(|_| {
                Error::invalid(
                    "--citations",
                    format!("'{citations}' is not one of: footnotes, brackets"),
                )
            })?;
            if out.exists() {
                return Err(Error::AlreadyExists { path: out });
            }
            let review = super::open(&file)?;
            let request = ExportRequest {
                citations,
                ..ExportRequest::new(doc, format)
            };
            let bytes = export_draft_to_file(&review, &draft, &request, &out, false, &mut |_| {})?;
            line(format!("wrote {} ({bytes} bytes)", out.display()));
        }
    }
    Ok(())
}

/// Refuses an output file that exists, before any work.
fn fresh(path: &Option<PathBuf>) -> Result<(), Error> {
    match path {
        Some(p) if p.exists() => Err(Error::AlreadyExists { path: p.clone() }),
        _ => Ok(()),
    }
}

/// Runs `threadline diff`.
pub fn diff(args: DiffArgs) -> Result<(), Error> {
    fresh(&args.html)?;
    fresh(&args.docx)?;
    let review = super::open(&args.file)?;
    let from = DraftRef::parse(&args.from);
    let to = DraftRef::parse(&args.to);
    let diff = review.diff(&from, &to)?;
    if let Some(path) = &args.html {
        export_diff_to_file(&review, &from, &to, ExportFormat::Html, path, false)?;
    }
    if let Some(path) = &args.docx {
        export_diff_to_file(&review, &from, &to, ExportFormat::Docx, path, false)?;
    }
    if args.json {
        return crate::print_json(&diff);
    }
    line(format!(
        "What changed from {} to {}",
        diff.from.label, diff.to.label
    ));
    let mut any = false;
    for s in &diff.sections {
        if s.status == ChangeStatus::Unchanged && !s.moved {
            continue;
        }
        any = true;
        let mut what = vec![s.status.as_str().to_owned()];
        if s.moved {
            what.push("moved".into());
        }
        if let Some(old) = &s.old_heading {
            what.push(format!("renamed from \"{old}\""));
        }
        let doc = match s.document {
            Document::Overview => "overview",
            Document::Summary => "summary",
        };
        line(format!(
            "section \"{}\" ({doc}): {}",
            s.heading,
            what.join(", ")
        ));
        if s.status == ChangeStatus::Changed {
            for seg in &s.segments {
                match seg.kind {
                    SegmentKind::Insert => line(format!("  + {}", seg.text.trim())),
                    SegmentKind::Delete => line(format!("  - {}", seg.text.trim())),
                    SegmentKind::Equal => {}
                }
            }
        }
    }
    for (name, records) in [
        ("term of reference", &diff.tor),
        ("finding", &diff.findings),
        ("recommendation", &diff.recommendations),
    ] {
        for r in records {
            any = true;
            let was = r
                .old_label
                .as_ref()
                .map(|o| format!(" (was {o})"))
                .unwrap_or_default();
            line(format!("{name} {}{was}: {}", r.label, r.status.as_str()));
            for f in &r.fields {
                line(format!("  {}: \"{}\" -> \"{}\"", f.field, f.old, f.new));
            }
        }
    }
    if !any {
        line("no changes".into());
    }
    Ok(())
}

/// Runs `threadline approve`.
pub fn approve(args: ApproveArgs) -> Result<(), Error> {
    let state = ApprovalState::from_cli(&args.state).map_err(|_| {
        Error::invalid(
            "--state",
            format!(
                "'{}' is not one of: approved, changes-requested",
                args.state
            ),
        )
    })?;
    let mut review = args.who.open(&args.file)?;
    let draft = review.draft(&args.draft)?;
    let wanted = args.section.trim();
    let matches: Vec<_> = draft
        .snapshot
        .content
        .sections
        .iter()
        .filter(|s| s.id == wanted || s.heading.trim().eq_ignore_ascii_case(wanted))
        .collect();
    let section_id = match matches.as_slice() {
        [one] => one.id.clone(),
        [] => {
            return Err(Error::invalid(
                "--section",
                format!(
                    "{} has no section with id or heading '{wanted}'",
                    draft.info.label
                ),
            ))
        }
        _ => {
            return Err(Error::invalid(
                "--section",
                format!(
                    "{} has {} sections headed '{wanted}'; give the section's id",
                    draft.info.label,
                    matches.len()
                ),
            ))
        }
    };
    let approval = review.set_approval(&section_id, &draft.info.id, state, &args.note)?;
    review.close()?;
    if args.json {
        crate::print_json(&approval)?;
    } else {
        line(format!(
            "{} \"{}\" in {}: {} by {} ({})",
            match approval.state {
                ApprovalState::Approved => "approved",
                ApprovalState::ChangesRequested => "changes requested on",
            },
            approval.heading,
            approval.draft_label,
            approval.at,
            approval.by,
            approval.role
        ));
    }
    Ok(())
}

/// Runs `threadline approvals`.
pub fn approvals(args: ApprovalsArgs) -> Result<(), Error> {
    let review = super::open(&args.file)?;
    let approvals = review.approvals()?;
    if args.json {
        return crate::print_json(&json!(approvals));
    }
    if approvals.is_empty() {
        line("no approvals".into());
    }
    for a in approvals {
        line(format!(
            "{:<18} \"{}\" in {} by {} ({}){}",
            a.state.as_str().replace('_', " "),
            a.heading,
            a.draft_label,
            a.by,
            a.role,
            if a.section_deleted {
                " - stale: section deleted"
            } else if a.stale {
                " - stale: changed since"
            } else {
                ""
            }
        ));
    }
    Ok(())
}
