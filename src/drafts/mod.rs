//! Issued drafts: frozen, labelled copies of the report that the author sends to the panel
//! ("Draft 3"), what changed between two of them (or a draft and now), and the chair's
//! approvals of sections against a draft.
//!
//! A draft is one row of the `draft` table holding a JSON [`DraftSnapshot`]: the sections of
//! both documents as written, the findings, recommendations, terms of reference, themes and
//! agencies, and both documents as rendered at issue time (with the coverage appendix), so an
//! issued draft exports exactly as it was, whatever happens to the review later. Triggers in
//! the file refuse any UPDATE or DELETE of a draft.
//!
//! Issuing a draft and setting an approval are audited, but with the audit kind `load`, which
//! undo never replays: undo must not delete a draft, and a verdict is changed by giving a new
//! one. Neither ends the chance to redo an undone edit, as neither changes the review's content.

mod approvals;
mod diff;
mod redline;

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::change::ChangeKind;
use crate::error::{Error, Result};
use crate::export::{ExportDoc, ExportFormat, ExportProgress, Printable};
use crate::model::agencies::Agency;
use crate::model::findings::Finding;
use crate::model::recommendations::Recommendation;
use crate::model::sections::{Document, Section};
use crate::model::themes::Theme;
use crate::model::tor::TorItem;
use crate::report::{RenderOptions, RenderedDocument, RenderedSection};
use crate::review::Review;

pub use approvals::{Approval, ApprovalState};
pub use diff::{
    word_diff, ChangeStatus, DiffSide, DraftDiff, FieldChange, RecordDiff, SectionDiff, Segment,
    SegmentKind,
};
pub use redline::{diff_docx, diff_html};

/// The format of the snapshot JSON written by this version.
const SNAPSHOT_FORMAT: u32 = 1;

/// The longest label a draft can have, in characters.
pub const MAX_LABEL_CHARS: usize = 120;

/// An issued draft without its contents: what a list of drafts shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DraftInfo {
    /// The draft's UUID.
    pub id: String,
    /// 1, 2, 3… in issue order.
    pub number: i64,
    /// "Draft 3" unless the author named it otherwise.
    pub label: String,
    /// When it was issued (RFC 3339, UTC, from the review's clock).
    pub issued_at: String,
    /// Who issued it, and in which role.
    pub issued_by: String,
    pub role: String,
}

/// The review's content as a reader of the report sees it: what a draft freezes and what
/// "what changed" compares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DraftContent {
    /// The review's title.
    pub title: String,
    /// The sections of the overview report, then of the executive summary, each in order.
    pub sections: Vec<Section>,
    pub findings: Vec<Finding>,
    pub recommendations: Vec<Recommendation>,
    pub tor: Vec<TorItem>,
    /// Kept so a finding's theme and a recommendation's agencies can be named.
    pub themes: Vec<Theme>,
    pub agencies: Vec<Agency>,
}

/// Everything an issued draft holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DraftSnapshot {
    /// The snapshot format (1).
    pub format: u32,
    pub content: DraftContent,
    /// Both documents as rendered when the draft was issued (footnote citations).
    pub overview: RenderedDocument,
    pub summary: RenderedDocument,
    /// The overview report's coverage appendix as it was; `None` with no terms of reference.
    pub coverage_appendix: Option<RenderedSection>,
}

/// One issued draft with its contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Draft {
    pub info: DraftInfo,
    pub snapshot: DraftSnapshot,
}

/// One side of a comparison: an issued draft (by number, id or label) or the review as it is
/// now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "kind", content = "draft", rename_all = "snake_case")]
pub enum DraftRef {
    /// An issued draft: its number ("3"), id or label ("Draft 3").
    Draft(String),
    /// The review as it is now.
    Current,
}

impl DraftRef {
    /// Reads a draft as the command line writes it: a number, an id, a label, or `current`
    /// (also `now`) for the review as it is.
    pub fn parse(text: &str) -> DraftRef {
        let t = text.trim();
        if t.eq_ignore_ascii_case("current") || t.eq_ignore_ascii_case("now") {
            DraftRef::Current
        } else {
            DraftRef::Draft(t.to_owned())
        }
    }
}

const SELECT_INFO: &str = "SELECT id, number, label, issued_at, issued_by, role FROM draft";

fn info_from_row(r: &Row<'_>) -> rusqlite::Result<DraftInfo> {
    Ok(DraftInfo {
        id: r.get(0)?,
        number: r.get(1)?,
        label: r.get(2)?,
        issued_at: r.get(3)?,
        issued_by: r.get(4)?,
        role: r.get(5)?,
    })
}

fn check_label(label: &str) -> Result<String> {
    let label = label.trim();
    if label.is_empty() {
        return Err(Error::invalid("label", "a draft's label cannot be blank"));
    }
    if label.chars().count() > MAX_LABEL_CHARS {
        return Err(Error::invalid(
            "label",
            format!("a draft's label can be at most {MAX_LABEL_CHARS} characters"),
        ));
    }
    if label.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::invalid(
            "label",
            "a draft's label cannot be a bare number (numbers name drafts by their order)",
        ));
    }
    if label.eq_ignore_ascii_case("current") || label.eq_ignore_ascii_case("now") {
        return Err(Error::invalid(
            "label",
            "\"current\" and \"now\" name the review as it is; choose another label",
        ));
    }
    if label.chars().any(char::is_control) {
        return Err(Error::invalid(
            "label",
            "a draft's label cannot contain line breaks or other control characters",
        ));
    }
    Ok(label.to_owned())
}

impl Review {
    /// The review's content as it is now (what a draft would freeze).
    pub fn draft_content(&self) -> Result<DraftContent> {
        let mut sections = self.sections(Document::Overview)?;
        sections.extend(self.sections(Document::Summary)?);
        Ok(DraftContent {
            title: self.details()?.title,
            sections,
            findings: self.findings()?,
            recommendations: self.recommendations()?,
            tor: self.tor_items()?,
            themes: self.themes()?,
            agencies: self.agencies()?,
        })
    }

    /// Issues a draft: freezes the report (both documents), findings, recommendations and
    /// terms of reference as they are now, numbered after the last draft and labelled
    /// `label` or "Draft N". Recorded in the audit log with who issued it; undo leaves it be.
    pub fn issue_draft(&mut self, label: Option<&str>) -> Result<Draft> {
        let label = label.map(check_label).transpose()?;
        let snapshot = DraftSnapshot {
            format: SNAPSHOT_FORMAT,
            content: self.draft_content()?,
            overview: self.render_document(Document::Overview, &RenderOptions::default())?,
            summary: self.render_document(Document::Summary, &RenderOptions::default())?,
            coverage_appendix: crate::export::table::coverage_appendix(self, None)?,
        };
        let json = serde_json::to_string(&snapshot)?;
        let id = self.new_id();
        let issued_at = self
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let actor = self.actor().clone();
        let number: i64 =
            self.db()
                .query_row("SELECT coalesce(max(number), 0) + 1 FROM draft", [], |r| {
                    r.get(0)
                })?;
        let label = label.unwrap_or_else(|| format!("Draft {number}"));
        let taken: Option<i64> = self
            .db()
            .query_row(
                "SELECT number FROM draft WHERE lower(label) = lower(?1)",
                [&label],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(n) = taken {
            return Err(Error::invalid(
                "label",
                format!("draft {n} is already labelled \"{label}\"; choose another label"),
            ));
        }
        // The review as it stood when the draft went out can be restored later.
        self.snapshot("draft")?;
        self.change_as(ChangeKind::Load, &format!("Issue {label}"), false, |c| {
            c.execute(
                "INSERT INTO draft (id, number, label, issued_at, issued_by, role, snapshot)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, number, label, issued_at, actor.name, actor.role, json],
            )?;
            Ok(())
        })?;
        self.draft(&id)
    }

    /// Every issued draft, oldest first.
    pub fn drafts(&self) -> Result<Vec<DraftInfo>> {
        let drafts = self
            .db()
            .prepare_cached(&format!("{SELECT_INFO} ORDER BY number"))?
            .query_map([], info_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(drafts)
    }

    /// Finds an issued draft by number ("3"), id, or label ("Draft 3", any case).
    pub fn draft_info(&self, key: &str) -> Result<DraftInfo> {
        let key = key.trim();
        let by = |sql: &str, value: &dyn rusqlite::ToSql| {
            self.db()
                .query_row(
                    &format!("{SELECT_INFO} WHERE {sql}"),
                    [value],
                    info_from_row,
                )
                .optional()
        };
        let found = match key.parse::<i64>() {
            Ok(n) => by("number = ?1", &n)?,
            Err(_) => match by("id = ?1", &key)? {
                Some(d) => Some(d),
                None => by("lower(label) = lower(?1)", &key)?,
            },
        };
        found.ok_or_else(|| Error::NotFound {
            kind: "draft",
            id: key.to_owned(),
        })
    }

    /// One issued draft with everything it froze, by number, id or label.
    pub fn draft(&self, key: &str) -> Result<Draft> {
        let info = self.draft_info(key)?;
        let json: String = self.db().query_row(
            "SELECT snapshot FROM draft WHERE id = ?1",
            [&info.id],
            |r| r.get(0),
        )?;
        let snapshot: DraftSnapshot = serde_json::from_str(&json)?;
        if snapshot.format != SNAPSHOT_FORMAT {
            return Err(Error::invalid(
                "draft",
                format!(
                    "{} was written in a draft format this version cannot read ({})",
                    info.label, snapshot.format
                ),
            ));
        }
        Ok(Draft { info, snapshot })
    }

    /// The content one side of a comparison names.
    pub(crate) fn content_of(&self, side: &DraftRef) -> Result<(DiffSide, DraftContent)> {
        match side {
            DraftRef::Current => Ok((
                DiffSide {
                    label: "Current".into(),
                    number: None,
                    issued_at: None,
                },
                self.draft_content()?,
            )),
            DraftRef::Draft(key) => {
                let draft = self.draft(key)?;
                Ok((
                    DiffSide {
                        label: draft.info.label.clone(),
                        number: Some(draft.info.number),
                        issued_at: Some(draft.info.issued_at.clone()),
                    },
                    draft.snapshot.content,
                ))
            }
        }
    }

    /// One document of an issued draft as it was rendered when the draft was issued, ready
    /// to show read-only. Its marking is the draft's label.
    pub fn render_draft(&self, key: &str, document: Document) -> Result<RenderedDocument> {
        let draft = self.draft(key)?;
        let mut doc = match document {
            Document::Overview => draft.snapshot.overview,
            Document::Summary => draft.snapshot.summary,
        };
        doc.marking = Some(draft.info.label);
        Ok(doc)
    }
}

/// Exports one document of an issued draft (the overview report or the executive summary, as
/// Word, HTML or Markdown) exactly as it was issued, into bytes. Only `citations` and
/// `coverage_appendix` of the request apply; a publication export is made from the current
/// review, not from a draft, and is refused here.
pub fn export_draft(
    review: &Review,
    key: &str,
    request: &crate::export::ExportRequest,
    progress: &mut dyn FnMut(ExportProgress),
) -> Result<Vec<u8>> {
    request.check()?;
    let document = match request.doc {
        ExportDoc::Overview => Document::Overview,
        ExportDoc::Summary => Document::Summary,
        other => {
            return Err(Error::invalid(
                "doc",
                format!(
                    "a draft holds the overview report and the executive summary, not the {}",
                    other.title()
                ),
            ))
        }
    };
    if request.publication {
        return Err(Error::invalid(
            "publication",
            "a publication export is made from the review as it is now, not from an issued draft",
        ));
    }
    let total = 3;
    let step = |progress: &mut dyn FnMut(ExportProgress), stage: &str, done: u64| {
        progress(ExportProgress {
            stage: stage.to_owned(),
            done,
            total,
        })
    };
    step(progress, "Reading the draft", 0);
    let draft = review.draft(key)?;
    let created = chrono::DateTime::parse_from_rfc3339(&draft.info.issued_at)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| Error::invalid("draft", format!("bad issue time: {e}")))?;
    let mut doc = match document {
        Document::Overview => draft.snapshot.overview,
        Document::Summary => draft.snapshot.summary,
    };
    if doc.sections.is_empty() {
        return Err(Error::invalid(
            "doc",
            format!(
                "the {} had no sections in {}",
                request.doc.title(),
                draft.info.label
            ),
        ));
    }
    doc.marking = Some(draft.info.label.clone());
    doc.citation_style = request.citations;
    step(progress, "Laying out the document", 1);
    let mut p = Printable::from_rendered(doc, created);
    if document == Document::Overview && request.coverage_appendix {
        if let Some(section) = draft.snapshot.coverage_appendix {
            p.appendices.push(section);
        }
    }
    step(progress, "Writing the file", 2);
    let bytes = match request.format {
        ExportFormat::Docx => crate::export::docx::write(&p)?,
        ExportFormat::Html => crate::export::html::write(&p).into_bytes(),
        ExportFormat::Md => crate::export::md::write(&p).into_bytes(),
        ExportFormat::Xlsx | ExportFormat::Csv => unreachable!("checked by ExportRequest::check"),
    };
    step(progress, "Done", total);
    Ok(bytes)
}

/// [`export_draft`] to `path`, through a temporary file renamed into place; without
/// `replace`, an existing `path` is refused before any work. Returns the bytes written.
pub fn export_draft_to_file(
    review: &Review,
    key: &str,
    request: &crate::export::ExportRequest,
    path: &std::path::Path,
    replace: bool,
    progress: &mut dyn FnMut(ExportProgress),
) -> Result<u64> {
    if !replace && path.exists() {
        return Err(Error::AlreadyExists {
            path: path.to_owned(),
        });
    }
    let bytes = export_draft(review, key, request, progress)?;
    crate::export::write_atomically(path, &bytes, replace)?;
    Ok(bytes.len() as u64)
}

/// What changed from `from` to `to`, written to `path` as an HTML page (`Html`) or a Word
/// file with tracked changes (`Docx`); other formats are refused. Without `replace`, an
/// existing `path` is refused before any work. Returns the bytes written.
pub fn export_diff_to_file(
    review: &Review,
    from: &DraftRef,
    to: &DraftRef,
    format: ExportFormat,
    path: &std::path::Path,
    replace: bool,
) -> Result<u64> {
    if !replace && path.exists() {
        return Err(Error::AlreadyExists {
            path: path.to_owned(),
        });
    }
    let bytes = match format {
        ExportFormat::Html => diff_html(&review.diff(from, to)?).into_bytes(),
        ExportFormat::Docx => review.diff_docx(from, to)?,
        other => {
            return Err(Error::invalid(
                "format",
                format!("what changed can be exported as html or docx, not {other}"),
            ))
        }
    };
    crate::export::write_atomically(path, &bytes, replace)?;
    Ok(bytes.len() as u64)
}

/// Replaces, in every issued draft, the names `redactor` knows (people removed from the
/// register) by its pseudonym ("[name removed]"). Compaction is the one writer allowed to
/// touch an issued draft: the trigger that refuses updates is dropped for this statement and
/// put back as it was, inside the caller's transaction. Answers how many drafts changed.
pub(crate) fn redact_drafts(
    tx: &rusqlite::Transaction<'_>,
    redactor: &crate::publication::Pseudonymiser,
) -> Result<u64> {
    let rows: Vec<(i64, String)> = tx
        .prepare("SELECT rid, snapshot FROM draft")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let changed: Vec<(i64, String)> = rows
        .into_iter()
        .filter_map(|(rid, json)| {
            let redacted = redactor.apply(&json);
            (redacted != json).then_some((rid, redacted))
        })
        .collect();
    if changed.is_empty() {
        return Ok(0);
    }
    let trigger: String = tx.query_row(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'draft_no_update'",
        [],
        |r| r.get(0),
    )?;
    tx.execute_batch("DROP TRIGGER draft_no_update")?;
    for (rid, json) in &changed {
        // The replacement is plain words, so the snapshot stays valid JSON.
        serde_json::from_str::<serde_json::Value>(json)?;
        tx.execute(
            "UPDATE draft SET snapshot = ?2 WHERE rid = ?1",
            params![rid, json],
        )?;
    }
    tx.execute_batch(&trigger)?;
    Ok(changed.len() as u64)
}
