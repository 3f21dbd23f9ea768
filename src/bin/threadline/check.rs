//! `threadline check`: runs the quality checks over a review and lists what to fix. The exit
//! status is 1 when any result is an error, so scripts can stop a release on it.

use std::path::PathBuf;

use chrono::{NaiveDate, TimeZone, Utc};
use clap::Args;
use threadline::checks::{CheckReport, Severity};
use threadline::{Error, FixedClock, Review};

/// The options of `threadline check`.
#[derive(Args)]
pub struct CheckArgs {
    /// The review file.
    pub file: PathBuf,
    /// Check as of this day (YYYY-MM-DD) instead of today: decides which actions are overdue.
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// What the command prints, and whether any result is an error.
pub struct Outcome {
    pub lines: Vec<String>,
    pub report: CheckReport,
}

impl Outcome {
    /// True when the exit status must say that errors were found.
    pub fn has_errors(&self) -> bool {
        self.report.errors > 0
    }
}

/// "1 error", "3 warnings".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Opens the review (with a clock stopped on `--today` when given) and runs the checks.
pub fn run(args: &CheckArgs) -> Result<Outcome, Error> {
    let mut ctx = crate::security::context_for(&args.file)?;
    if let Some(day) = &args.today {
        let date = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map_err(|_| {
            Error::invalid(
                "--today",
                format!("'{day}' is not a date; write YYYY-MM-DD"),
            )
        })?;
        let noon = date.and_hms_opt(12, 0, 0).expect("noon exists");
        ctx.clock = Box::new(FixedClock(Utc.from_utc_datetime(&noon)));
    }
    let review = Review::open(&args.file, ctx)?;
    let report = review.checks()?;
    drop(review);
    let mut lines = Vec::new();
    for r in &report.results {
        let severity = match r.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        lines.push(format!("{severity:<8} {}", r.message));
        if let Some(detail) = &r.detail {
            lines.push(format!("{:<8} {detail}", ""));
        }
    }
    if report.results.is_empty() {
        lines.push("No problems found.".into());
    } else {
        lines.push(String::new());
    }
    lines.push(format!(
        "{}, {}, {}",
        count(report.errors, "error", "errors"),
        count(report.warnings, "warning", "warnings"),
        count(report.infos, "info", "infos"),
    ));
    Ok(Outcome { lines, report })
}
