//! `threadline export`: the overview report or executive summary as Word, HTML or Markdown;
//! the action plan, chronology or coverage matrix as Excel, CSV or a document table.
//! `--publication` makes the pseudonymised version and refuses to write it while the leak gate
//! finds anything not allowed with `--allow KEY`.

use std::path::PathBuf;

use clap::Args;
use threadline::export::{export_to_file, ExportDoc, ExportFormat, ExportRequest};
use threadline::model::sections::Document;
use threadline::report::{CitationStyle, RenderOptions};
use threadline::Error;

/// The options of `threadline export`.
#[derive(Args)]
pub struct ExportArgs {
    /// The review file.
    pub file: PathBuf,
    /// What to export: overview, summary, action-plan, chronology or coverage.
    #[arg(long)]
    pub doc: String,
    /// The format: docx, html or md for the reports; xlsx, csv, docx, html or md for the
    /// tables. Taken from the output file's extension when left out.
    #[arg(long)]
    pub format: Option<String>,
    /// How the reports show citations: footnotes or brackets (numbers in square brackets
    /// with a list of references at the end).
    #[arg(long, default_value = "footnotes")]
    pub citations: String,
    /// Leave the coverage matrix appendix out of the overview report.
    #[arg(long)]
    pub no_appendix: bool,
    /// The file to write; it must not exist unless --force is given.
    #[arg(long, short = 'o')]
    pub out: PathBuf,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Export for publication: pseudonyms for the register's real names, safe file
    /// properties, and a scan of the finished file that refuses to write it when it still
    /// holds a registered name, a postcode, a phone or NHS number or a date of birth.
    #[arg(long)]
    pub publication: bool,
    /// A leak-gate hit to let through, by the key the refusal printed (repeatable).
    #[arg(long = "allow", value_name = "KEY", requires = "publication")]
    pub allow: Vec<String>,
}

/// What the command has to say: a line for stdout, warnings for stderr.
pub struct Outcome {
    pub line: String,
    pub warnings: Vec<String>,
}

/// Runs `threadline export`.
pub fn run(args: &ExportArgs) -> Result<Outcome, Error> {
    let doc = ExportDoc::from_cli(&args.doc).map_err(|_| {
        Error::invalid(
            "--doc",
            format!(
                "'{}' is not one of: overview, summary, action-plan, chronology, coverage",
                args.doc
            ),
        )
    })?;
    let format = match &args.format {
        Some(f) => super::choice::<ExportFormat>(
            "--format",
            &f.trim().to_lowercase(),
            &["docx", "html", "md", "xlsx", "csv"],
        )?,
        None => ExportFormat::from_path(&args.out).ok_or_else(|| {
            Error::invalid(
                "--format",
                format!(
                    "give --format, or an output name ending in .docx, .html, .md, .xlsx or .csv ({} has none of these)",
                    args.out.display()
                ),
            )
        })?,
    };
    if let Some(named) = ExportFormat::from_path(&args.out) {
        if named != format {
            return Err(Error::invalid(
                "-o",
                format!(
                    "{} ends in .{} but the format is {format}; name the file .{}",
                    args.out.display(),
                    named.extension(),
                    format.extension()
                ),
            ));
        }
    }
    let citations: CitationStyle = super::choice(
        "--citations",
        &args.citations.trim().to_lowercase(),
        &["footnotes", "brackets"],
    )?;
    let request = ExportRequest {
        doc,
        format,
        citations,
        coverage_appendix: !args.no_appendix,
        publication: args.publication,
        allow: args.allow.clone(),
    };
    request.check()?;
    if !args.force && args.out.exists() {
        return Err(Error::AlreadyExists {
            path: args.out.clone(),
        });
    }
    let review = crate::open(&args.file)?;
    let mut warnings = Vec::new();
    let document = match doc {
        ExportDoc::Overview => Some(Document::Overview),
        ExportDoc::Summary => Some(Document::Summary),
        _ => None,
    };
    if let Some(document) = document {
        let rendered = review.render_document(
            document,
            &RenderOptions {
                citations,
                publication: args.publication,
            },
        )?;
        for p in rendered.problems {
            warnings.push(format!("section \"{}\": {}", p.heading, p.message));
        }
    }
    if args.publication {
        for u in review.pseudonymiser()?.unsubstituted() {
            warnings.push(format!("'{}' is left as written: {}", u.name, u.reason));
        }
    }
    let bytes = export_to_file(&review, &request, &args.out, args.force, &mut |_| {})?;
    drop(review);
    Ok(Outcome {
        line: format!(
            "wrote {} ({}{} as {format}, {bytes} bytes)",
            args.out.display(),
            if args.publication {
                "publication version of the "
            } else {
                ""
            },
            doc.title()
        ),
        warnings,
    })
}
