//! Exports: the overview report and executive summary as Word, HTML or Markdown; the action
//! plan, the chronology and the coverage matrix as Excel or CSV (or as a table in a document).
//!
//! [`export`] renders into bytes and touches no file; [`export_to_file`] writes them to a
//! temporary file beside the target and renames it into place, so a failed export never
//! leaves a half-written file and, without `replace`, never overwrites one.
//!
//! A publication export ([`ExportRequest::publication`]) puts pseudonyms in place of real
//! names everywhere, gives the file's properties safe values, and then scans the finished
//! bytes with the leak gate ([`crate::publication::gate`]): any hit the author has not allowed
//! stops the export with [`Error::Leaks`] before anything is written.

pub mod docx;
pub mod html;
pub mod md;
pub mod table;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::sections::Document;
use crate::model::text_enum;
use crate::publication::gate::{self, LeakHit};
use crate::publication::Pseudonymiser;
use crate::report::{
    CitationStyle, CitedItem, RenderOptions, RenderedDocument, RenderedNote, RenderedSection,
};
use crate::review::Review;

text_enum! {
    /// What to export.
    ExportDoc {
        Overview = "overview", Summary = "summary", ActionPlan = "action_plan",
        Chronology = "chronology", Coverage = "coverage",
    }
}

text_enum! {
    /// The file format to export to.
    ExportFormat { Docx = "docx", Html = "html", Md = "md", Xlsx = "xlsx", Csv = "csv" }
}

impl ExportDoc {
    /// Reads a document name as the command line writes it (`action-plan` as well as
    /// `action_plan`).
    pub fn from_cli(text: &str) -> Result<ExportDoc> {
        text.trim().to_lowercase().replace('-', "_").parse()
    }

    /// The formats this document can be exported to.
    pub fn formats(self) -> &'static [ExportFormat] {
        match self {
            ExportDoc::Overview | ExportDoc::Summary => {
                &[ExportFormat::Docx, ExportFormat::Html, ExportFormat::Md]
            }
            ExportDoc::ActionPlan | ExportDoc::Chronology | ExportDoc::Coverage => &[
                ExportFormat::Xlsx,
                ExportFormat::Csv,
                ExportFormat::Docx,
                ExportFormat::Html,
                ExportFormat::Md,
            ],
        }
    }

    /// The document's name in words.
    pub fn title(self) -> &'static str {
        match self {
            ExportDoc::Overview => "overview report",
            ExportDoc::Summary => "executive summary",
            ExportDoc::ActionPlan => "action plan",
            ExportDoc::Chronology => "chronology",
            ExportDoc::Coverage => "coverage matrix",
        }
    }
}

impl ExportFormat {
    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        self.as_str()
    }

    /// The format a file name's extension names, if any.
    pub fn from_path(path: &Path) -> Option<ExportFormat> {
        let ext = path.extension()?.to_string_lossy().to_lowercase();
        match ext.as_str() {
            "markdown" => Some(ExportFormat::Md),
            "htm" => Some(ExportFormat::Html),
            other => ExportFormat::parse(other),
        }
    }
}

fn coverage_appendix_default() -> bool {
    true
}

/// One export: which document, in which format, with citations how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ExportRequest {
    pub doc: ExportDoc,
    pub format: ExportFormat,
    /// Footnotes or bracketed numbers (reports only).
    #[serde(default)]
    pub citations: CitationStyle,
    /// Whether the overview report ends with the coverage matrix as an appendix table.
    #[serde(default = "coverage_appendix_default")]
    pub coverage_appendix: bool,
    /// A publication export: pseudonyms for real names, safe properties, and the leak gate.
    #[serde(default)]
    #[ts(as = "Option<bool>", optional)]
    pub publication: bool,
    /// Leak-gate hits the author has marked as intended, by [`LeakHit::key`].
    #[serde(default)]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub allow: Vec<String>,
}

/// The description a publication export's file properties carry.
pub const PUBLICATION_NOTE: &str = "Publication version: names replaced by pseudonyms";

impl ExportRequest {
    /// A request with footnote citations and the coverage appendix.
    pub fn new(doc: ExportDoc, format: ExportFormat) -> Self {
        ExportRequest {
            doc,
            format,
            citations: CitationStyle::Footnotes,
            coverage_appendix: true,
            publication: false,
            allow: Vec::new(),
        }
    }

    /// The same request as a publication export.
    pub fn for_publication(mut self) -> Self {
        self.publication = true;
        self
    }

    /// Refuses a combination that makes no sense, listing the formats that do.
    pub fn check(&self) -> Result<()> {
        let allowed = self.doc.formats();
        if allowed.contains(&self.format) {
            return Ok(());
        }
        let names: Vec<&str> = allowed.iter().map(|f| f.as_str()).collect();
        Err(Error::invalid(
            "format",
            format!(
                "the {} cannot be exported as {}; choose one of: {}",
                self.doc.title(),
                self.format,
                names.join(", ")
            ),
        ))
    }
}

/// How far an export has got, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ExportProgress {
    /// What is happening now, in words.
    pub stage: String,
    pub done: u64,
    pub total: u64,
}

fn step(progress: &mut dyn FnMut(ExportProgress), stage: &str, done: u64, total: u64) {
    progress(ExportProgress {
        stage: stage.to_owned(),
        done,
        total,
    });
}

/// A document as the document writers (Word, HTML, Markdown) take it: a rendered report, or a
/// table dressed as one.
#[derive(Debug, Clone)]
pub struct Printable {
    pub title: String,
    pub subtitle: String,
    pub board: String,
    pub author: String,
    pub marking: Option<String>,
    pub style: CitationStyle,
    pub sections: Vec<RenderedSection>,
    /// Sections after the references (on landscape pages in Word): the coverage appendix.
    pub appendices: Vec<RenderedSection>,
    pub citations: Vec<CitedItem>,
    pub notes: Vec<RenderedNote>,
    /// Whether to show a table of contents.
    pub contents: bool,
    /// Whether pages are landscape (wide tables).
    pub landscape: bool,
    /// When the document was made (the review's clock).
    pub created: DateTime<Utc>,
    /// Whether this is the publication version (its properties say so).
    pub publication: bool,
}

impl Printable {
    /// A rendered report, ready to write.
    pub fn from_rendered(doc: RenderedDocument, created: DateTime<Utc>) -> Self {
        Printable {
            title: doc.title,
            subtitle: doc.subtitle,
            board: doc.board,
            author: doc.author,
            marking: doc.marking,
            style: doc.citation_style,
            sections: doc.sections,
            appendices: Vec::new(),
            citations: doc.citations,
            notes: doc.notes,
            contents: true,
            landscape: false,
            created,
            publication: false,
        }
    }
}

/// Exports one document into bytes. `progress` hears of each stage. A publication export whose
/// bytes the leak gate finds anything in (not allowed by the request) fails with
/// [`Error::Leaks`].
pub fn export(
    review: &Review,
    request: &ExportRequest,
    progress: &mut dyn FnMut(ExportProgress),
) -> Result<Vec<u8>> {
    let (bytes, publisher) = render_bytes(review, request, progress)?;
    if let Some(p) = publisher {
        gate::refuse_unless_allowed(gate::scan(request.format, &bytes, &p)?, &request.allow)?;
    }
    Ok(bytes)
}

/// Makes the publication version of the requested document and returns everything the leak
/// gate finds in it, allowed or not, without writing anything (for a preview of the hits).
pub fn publication_hits(review: &Review, request: &ExportRequest) -> Result<Vec<LeakHit>> {
    let request = ExportRequest {
        publication: true,
        ..request.clone()
    };
    let (bytes, publisher) = render_bytes(review, &request, &mut |_| {})?;
    let p = publisher.expect("a publication request has a pseudonymiser");
    gate::scan(request.format, &bytes, &p)
}

/// The export's bytes, and the register's matcher when it is a publication export.
fn render_bytes(
    review: &Review,
    request: &ExportRequest,
    progress: &mut dyn FnMut(ExportProgress),
) -> Result<(Vec<u8>, Option<Pseudonymiser>)> {
    request.check()?;
    let publisher = if request.publication {
        Some(review.pseudonymiser()?)
    } else {
        None
    };
    let bytes = render_with(review, request, publisher.as_ref(), progress)?;
    Ok((bytes, publisher))
}

fn render_with(
    review: &Review,
    request: &ExportRequest,
    publisher: Option<&Pseudonymiser>,
    progress: &mut dyn FnMut(ExportProgress),
) -> Result<Vec<u8>> {
    let created = review.now();
    let total = 3;
    step(progress, "Reading the review", 0, total);
    let printable = match request.doc {
        ExportDoc::Overview | ExportDoc::Summary => {
            let document = if request.doc == ExportDoc::Overview {
                Document::Overview
            } else {
                Document::Summary
            };
            let rendered = review.render_document(
                document,
                &RenderOptions {
                    citations: request.citations,
                    publication: publisher.is_some(),
                },
            )?;
            if rendered.sections.is_empty() {
                return Err(Error::invalid(
                    "doc",
                    format!(
                        "the {} has no sections yet; add the default outline or a section first",
                        request.doc.title()
                    ),
                ));
            }
            step(progress, "Laying out the document", 1, total);
            let mut p = Printable::from_rendered(rendered, created);
            p.publication = publisher.is_some();
            if document == Document::Overview && request.coverage_appendix {
                if let Some(section) = table::coverage_appendix(review, publisher)? {
                    p.appendices.push(section);
                }
            }
            p
        }
        ExportDoc::ActionPlan | ExportDoc::Chronology | ExportDoc::Coverage => {
            let mut data = match request.doc {
                ExportDoc::ActionPlan => table::action_plan(review)?,
                ExportDoc::Chronology => table::chronology(review)?,
                _ => table::coverage(review)?,
            };
            if let Some(p) = publisher {
                data.publish(p);
            }
            step(progress, "Laying out the table", 1, total);
            match request.format {
                ExportFormat::Xlsx => {
                    let bytes = table::xlsx(&data, review, created, publisher)?;
                    step(progress, "Done", total, total);
                    return Ok(bytes);
                }
                ExportFormat::Csv => {
                    let bytes = table::csv(&data)?;
                    step(progress, "Done", total, total);
                    return Ok(bytes);
                }
                _ => data.printable(review, created, publisher)?,
            }
        }
    };
    step(progress, "Writing the file", 2, total);
    let bytes = match request.format {
        ExportFormat::Docx => docx::write(&printable)?,
        ExportFormat::Html => html::write(&printable).into_bytes(),
        ExportFormat::Md => md::write(&printable).into_bytes(),
        ExportFormat::Xlsx | ExportFormat::Csv => {
            unreachable!("checked by ExportRequest::check")
        }
    };
    step(progress, "Done", total, total);
    Ok(bytes)
}

/// Exports one document to `path`. The bytes go to a temporary file in the same folder that
/// is renamed into place only when complete. Without `replace`, an existing `path` is refused
/// (before any work, and again at the moment of writing). Returns the number of bytes written.
pub fn export_to_file(
    review: &Review,
    request: &ExportRequest,
    path: &Path,
    replace: bool,
    progress: &mut dyn FnMut(ExportProgress),
) -> Result<u64> {
    if !replace && path.exists() {
        return Err(Error::AlreadyExists {
            path: path.to_owned(),
        });
    }
    let bytes = export(review, request, progress)?;
    write_atomically(path, &bytes, replace)?;
    Ok(bytes.len() as u64)
}

/// Writes `bytes` to `path` through a temporary file beside it.
pub fn write_atomically(path: &Path, bytes: &[u8], replace: bool) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| Error::invalid("output", format!("{} is not a file name", path.display())))?
        .to_string_lossy()
        .into_owned();
    let temp = dir.join(format!(
        ".{name}.{}.{}.part",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    let result = (|| -> Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(|e| Error::io(format!("cannot create a file in {}", dir.display()), e))?;
        f.write_all(bytes)
            .and_then(|_| f.sync_all())
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        drop(f);
        if replace {
            std::fs::rename(&temp, path)
                .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        } else {
            // A hard link fails if the target appeared meanwhile, so nothing is overwritten.
            match std::fs::hard_link(&temp, path) {
                Ok(()) => {
                    let _ = std::fs::remove_file(&temp);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return Err(Error::AlreadyExists {
                        path: path.to_owned(),
                    })
                }
                Err(_) => {
                    // Some file systems (FAT on a memory stick) have no hard links.
                    if path.exists() {
                        return Err(Error::AlreadyExists {
                            path: path.to_owned(),
                        });
                    }
                    std::fs::rename(&temp, path)
                        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
                }
            }
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Removes characters XML 1.0 cannot carry (control characters other than tab and line
/// breaks, and the two non-characters U+FFFE and U+FFFF). Imported text can hold them.
pub(crate) fn xml_safe(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// Escapes text for XML or HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars().filter(|c| xml_safe(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// A run of inlines as the writers lay them out once the citation style is known: text,
/// marks, and the separator between adjacent footnote marks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    Text {
        text: String,
        bold: bool,
        italic: bool,
    },
    Break,
    /// A citation mark, by citation number.
    Citation(u32),
    /// A mark for one of the author's footnotes, by note number.
    Note(u32),
    /// Between two adjacent superscript marks.
    MarkSeparator,
}

/// Lays out inlines for `style`. With footnotes, space before a mark goes (the mark sits on
/// the word) and marks next to each other are separated by a comma.
pub(crate) fn pieces(inlines: &[crate::report::Inline], style: CitationStyle) -> Vec<Piece> {
    use crate::report::Inline;
    let superscript_citations = style == CitationStyle::Footnotes;
    let is_mark = |i: &Inline| match i {
        Inline::Citation { .. } => superscript_citations,
        Inline::Note { .. } => true,
        _ => false,
    };
    let mut out: Vec<Piece> = Vec::with_capacity(inlines.len());
    for (idx, inline) in inlines.iter().enumerate() {
        match inline {
            Inline::Text {
                text, bold, italic, ..
            } => {
                let next_is_mark = inlines.get(idx + 1).is_some_and(is_mark);
                let prev_is_mark = idx > 0 && is_mark(&inlines[idx - 1]);
                if next_is_mark && prev_is_mark && text.trim().is_empty() {
                    out.push(Piece::MarkSeparator);
                    continue;
                }
                let text = if next_is_mark {
                    text.trim_end()
                } else {
                    text.as_str()
                };
                if !text.is_empty() {
                    out.push(Piece::Text {
                        text: text.to_owned(),
                        bold: *bold,
                        italic: *italic,
                    });
                }
            }
            Inline::Break => out.push(Piece::Break),
            Inline::Citation { number } => {
                if idx > 0 && is_mark(&inlines[idx - 1]) && is_mark(inline) {
                    out.push(Piece::MarkSeparator);
                }
                out.push(Piece::Citation(*number));
            }
            Inline::Note { number } => {
                if idx > 0 && is_mark(&inlines[idx - 1]) {
                    out.push(Piece::MarkSeparator);
                }
                out.push(Piece::Note(*number));
            }
        }
    }
    out
}
