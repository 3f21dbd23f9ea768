//! `threadline import`: a Word or text document becomes a source (optionally a new version of
//! one already in the review); a CSV or Excel file becomes chronology entries.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::{json, Value};
use threadline::import::chronology::{ColumnMapping, RowStatus};
use threadline::import::{detect_format, FileFormat};
use threadline::model::sources::{Source, SourceInput, SourceKind};
use threadline::{Error, Review};

/// The options of `threadline import`.
#[derive(Args)]
pub struct ImportArgs {
    /// The review file.
    pub file: PathBuf,
    /// The file to import: .docx, .txt or .md as a document; .csv or .xlsx as a chronology.
    pub doc: PathBuf,
    /// The kind of source: imr, chronology, interview, minutes, health_overview,
    /// prior_review or other. A .csv or .xlsx file is always a chronology.
    #[arg(long)]
    pub kind: Option<String>,
    /// The agency the file comes from, by name or short name. For a document it must exist;
    /// for a chronology it names the agency of rows that name none (created if new).
    #[arg(long)]
    pub agency: Option<String>,
    /// The source's title (defaults to the file's name without its extension).
    #[arg(long)]
    pub title: Option<String>,
    /// The document's version ("2"). With an earlier version of the same kind from the same
    /// agency already in the review, this one replaces it and its excerpts move across.
    #[arg(long)]
    pub version: Option<String>,
    /// The source this document is a new version of, by id or title (when --version alone
    /// cannot tell which).
    #[arg(long)]
    pub supersedes: Option<String>,
    /// For a chronology: which column holds what, as FIELD=COLUMN (a header or a 1-based
    /// column number); repeatable. Fields: date, end_date, agency, event, source,
    /// significance, missed_opportunity, rationale, people. Unnamed fields are guessed from
    /// the headers.
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    pub map: Vec<String>,
    /// For a workbook: the worksheet to read.
    #[arg(long)]
    pub sheet: Option<String>,
    /// For a chronology: show what would be imported, row by row, and write nothing.
    #[arg(long)]
    pub preview: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// What the command has to say: text lines for people, or one JSON value.
pub struct Report {
    pub lines: Vec<String>,
    pub json: Value,
}

/// Runs `threadline import` on an open review.
pub fn run(review: &mut Review, args: &ImportArgs) -> Result<Report, Error> {
    match detect_format(&args.doc)? {
        FileFormat::Csv | FileFormat::Xlsx => chronology(review, args),
        FileFormat::Docx | FileFormat::Text => document(review, args),
    }
}

fn document(review: &mut Review, args: &ImportArgs) -> Result<Report, Error> {
    if args.preview || !args.map.is_empty() || args.sheet.is_some() {
        return Err(Error::invalid(
            "--preview/--map/--sheet",
            "these options are for spreadsheet chronologies (.csv, .xlsx), not documents",
        ));
    }
    let names: Vec<&str> = SourceKind::ALL.iter().map(|k| k.as_str()).collect();
    let kind: SourceKind = super::choice("--kind", args.kind.as_deref().unwrap_or("imr"), &names)?;
    let agency_id = args
        .agency
        .as_deref()
        .map(|name| super::find_agency(review, name))
        .transpose()?;
    let supersedes = earlier_version(review, args, kind, agency_id.as_deref())?;
    let title = args.title.clone().unwrap_or_else(|| stem(&args.doc));
    let input = SourceInput {
        kind,
        agency_id,
        title,
        version: args.version.clone().unwrap_or_default(),
        ..SourceInput::default()
    };
    let done = review.import_document(
        input,
        &args.doc,
        supersedes.as_ref().map(|s| s.id.as_str()),
        &mut |_| {},
    )?;
    let c = &done.counts;
    let mut lines = vec![format!(
        "imported \"{}\": {} paragraphs ({} headings, {} list items, {} table rows, {} footnotes, {} endnotes)",
        done.source.title, c.paragraphs, c.headings, c.list_items, c.table_rows, c.footnotes, c.endnotes
    )];
    if done.tracked_changes {
        lines.push(
            "the document had tracked changes: insertions were kept and deletions left out".into(),
        );
    }
    for comment in &done.comments {
        let at = comment
            .paragraph_seq
            .map(|n| format!(" (paragraph {n})"))
            .unwrap_or_default();
        lines.push(format!(
            "comment by {}{at}: {}",
            comment.author, comment.text
        ));
    }
    if let Some(old) = &supersedes {
        lines.push(format!(
            "replaces \"{}\"{}: {} excerpts moved onto the new version, {} could not be placed",
            old.title,
            version_note(&old.version),
            done.reanchored.len(),
            done.unplaced.len()
        ));
        for x in &done.unplaced {
            let label = x
                .paragraph_label
                .clone()
                .unwrap_or_else(|| format!("¶{}", x.paragraph_seq));
            lines.push(format!(
                "  not placed, still on the old version at {label}: \"{}\"",
                x.quote
            ));
        }
    }
    Ok(Report {
        lines,
        json: serde_json::to_value(&done)?,
    })
}

fn version_note(version: &str) -> String {
    if version.is_empty() {
        String::new()
    } else {
        format!(" (version {version})")
    }
}

/// The source a new version replaces: the one named by --supersedes, or else, when --version
/// is given, the only current source of the same kind from the same agency.
fn earlier_version(
    review: &Review,
    args: &ImportArgs,
    kind: SourceKind,
    agency_id: Option<&str>,
) -> Result<Option<Source>, Error> {
    let sources = review.sources()?;
    if let Some(wanted) = &args.supersedes {
        let lower = wanted.trim().to_lowercase();
        let matches: Vec<&Source> = sources
            .iter()
            .filter(|s| s.id == *wanted || s.title.to_lowercase() == lower)
            .collect();
        return match matches.as_slice() {
            [one] => Ok(Some((*one).clone())),
            [] => Err(Error::invalid(
                "--supersedes",
                format!("no source with the id or title '{wanted}' in this review"),
            )),
            _ => Err(Error::invalid(
                "--supersedes",
                format!("several sources are titled '{wanted}'; give the id instead"),
            )),
        };
    }
    if args.version.is_none() {
        return Ok(None);
    }
    let current: Vec<&Source> = sources
        .iter()
        .filter(|s| {
            s.kind == kind && s.agency_id.as_deref() == agency_id && s.superseded_by_id.is_none()
        })
        .collect();
    match current.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some((*one).clone())),
        many => Err(Error::invalid(
            "--supersedes",
            format!(
                "{} sources of this kind from this agency could be the earlier version ({}); name one with --supersedes",
                many.len(),
                many.iter().map(|s| format!("\"{}\"", s.title)).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

fn chronology(review: &mut Review, args: &ImportArgs) -> Result<Report, Error> {
    if let Some(kind) = args.kind.as_deref() {
        if kind != "chronology" {
            return Err(Error::invalid(
                "--kind",
                format!("a spreadsheet is imported as a chronology, not as '{kind}'"),
            ));
        }
    }
    for (option, given) in [
        ("--title", args.title.is_some()),
        ("--version", args.version.is_some()),
        ("--supersedes", args.supersedes.is_some()),
    ] {
        if given {
            return Err(Error::invalid(
                option,
                "this option is for documents, not spreadsheet chronologies",
            ));
        }
    }
    // Read the headers first, then lay the user's choices over the guess made from them.
    let headers = review
        .preview_chronology_import(
            &args.doc,
            Some(ColumnMapping {
                sheet: args.sheet.clone(),
                ..ColumnMapping::default()
            }),
        )?
        .headers;
    let mut mapping = threadline::import::chronology::guess_mapping(&headers);
    mapping.sheet = args.sheet.clone();
    mapping.default_agency = args.agency.clone();
    for pair in &args.map {
        apply_map(&mut mapping, pair, &headers)?;
    }
    let preview = review.preview_chronology_import(&args.doc, Some(mapping.clone()))?;
    if args.preview {
        let mut lines = vec![format!(
            "{}: {} rows ready, {} duplicates, {} failing (nothing written)",
            preview.file_name, preview.ready, preview.duplicates, preview.failed
        )];
        lines.push(format!(
            "columns: {}",
            describe_mapping(&preview.mapping, &preview.headers)
        ));
        lines.extend(preview.problems.iter().cloned());
        for row in &preview.rows {
            let what = match row.status {
                RowStatus::Ready => format!(
                    "{} | {} | {}",
                    row.date.map(|d| d.to_string()).unwrap_or_default(),
                    row.agency.clone().unwrap_or_default(),
                    row.event
                ),
                RowStatus::Duplicate => format!("duplicate: {}", row.event),
                RowStatus::Failed => format!("fails: {}", row.reason.clone().unwrap_or_default()),
            };
            lines.push(format!("row {}: {what}", row.row));
        }
        return Ok(Report {
            lines,
            json: serde_json::to_value(&preview)?,
        });
    }
    let done = review.import_chronology(&args.doc, &mapping, &mut |_| {})?;
    let mut lines = vec![format!(
        "imported {} chronology entries from {}; {} duplicates skipped; {} rows failed",
        done.added,
        done.file_name,
        done.duplicates,
        done.failed.len()
    )];
    for a in &done.new_agencies {
        lines.push(format!("new agency: {}", a.name));
    }
    for p in &done.failed {
        lines.push(format!("row {} failed: {}", p.row, p.reason));
    }
    for p in &done.warnings {
        lines.push(format!("row {}: {}", p.row, p.reason));
    }
    Ok(Report {
        lines,
        json: json!(done),
    })
}

/// Applies one FIELD=COLUMN choice to a mapping.
fn apply_map(mapping: &mut ColumnMapping, pair: &str, headers: &[String]) -> Result<(), Error> {
    let (field, column) = pair.split_once('=').ok_or_else(|| {
        Error::invalid(
            "--map",
            format!("'{pair}' should be FIELD=COLUMN, as date=\"Date of event\""),
        )
    })?;
    let column = column.trim();
    let index = match column.parse::<usize>() {
        Ok(n) if (1..=headers.len()).contains(&n) => n - 1,
        Ok(n) => {
            return Err(Error::invalid(
                "--map",
                format!(
                    "column {n} does not exist; the file has {} columns",
                    headers.len()
                ),
            ))
        }
        Err(_) => headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(column))
            .ok_or_else(|| {
                Error::invalid(
                    "--map",
                    format!(
                        "no column headed '{column}'; the headers are: {}",
                        headers.join(", ")
                    ),
                )
            })?,
    };
    let slot = match field.trim().to_lowercase().replace('-', "_").as_str() {
        "date" => &mut mapping.date,
        "end_date" => &mut mapping.end_date,
        "agency" => &mut mapping.agency,
        "event" => &mut mapping.event,
        "source" => &mut mapping.source,
        "significance" => &mut mapping.significance,
        "missed_opportunity" => &mut mapping.missed_opportunity,
        "rationale" => &mut mapping.rationale,
        "people" => &mut mapping.people,
        other => {
            return Err(Error::invalid(
                "--map",
                format!("'{other}' is not a field; use date, end_date, agency, event, source, significance, missed_opportunity, rationale or people"),
            ))
        }
    };
    *slot = Some(index);
    Ok(())
}

fn describe_mapping(m: &ColumnMapping, headers: &[String]) -> String {
    let name = |c: Option<usize>| c.and_then(|i| headers.get(i)).cloned();
    [
        ("date", m.date),
        ("end date", m.end_date),
        ("agency", m.agency),
        ("event", m.event),
        ("source", m.source),
        ("significance", m.significance),
        ("missed opportunity", m.missed_opportunity),
        ("rationale", m.rationale),
        ("people", m.people),
    ]
    .into_iter()
    .filter_map(|(field, c)| name(c).map(|h| format!("{field} = \"{h}\"")))
    .collect::<Vec<_>>()
    .join(", ")
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
