//! Sources: the documents a review receives (IMRs, chronologies, interview notes, minutes...),
//! their text kept as numbered paragraphs, and excerpts quoting character ranges of those
//! paragraphs.
//!
//! A plain-text document becomes a source in one change ([`Review::import_text`]) so a single
//! undo takes the whole import away again. Excerpts keep a snapshot of the quoted text and its
//! SHA-256, so an edit to the paragraph later can be noticed ([`Review::excerpt_is_current`]).

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{
    delete_comments_on, ensure_exists, move_within, next_position, ordered_ids, refuse_if_used,
    required, text_enum, write_order, Use, COMMENTS_ON, SECTION_CITES,
};
use crate::change::{Change, ChangeKind, Table};
use crate::error::{Error, Result};
use crate::review::Review;

text_enum! {
    /// What kind of document a source is.
    SourceKind {
        Imr = "imr", Chronology = "chronology", Interview = "interview", Minutes = "minutes",
        HealthOverview = "health_overview", PriorReview = "prior_review", Other = "other",
    }
}

text_enum! {
    /// How far the review author trusts a source (an IMR's quality rating).
    Confidence { High = "high", Medium = "medium", Low = "low", NotRated = "not_rated" }
}

text_enum! {
    /// What kind of block a paragraph was in the document it came from.
    ParagraphKind {
        Body = "body", Heading = "heading", ListItem = "list_item", TableRow = "table_row",
        Footnote = "footnote", Endnote = "endnote",
    }
}

impl ParagraphKind {
    /// The kind typed text gets: a heading when it has a heading level, body text otherwise.
    pub fn for_level(heading_level: i64) -> ParagraphKind {
        if heading_level > 0 {
            ParagraphKind::Heading
        } else {
            ParagraphKind::Body
        }
    }
}

/// One document received as evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Source {
    pub id: String,
    pub kind: SourceKind,
    /// The agency that wrote or supplied it, if any.
    pub agency_id: Option<String>,
    pub title: String,
    pub author: String,
    /// The author's statement of independence from the case.
    pub independence: String,
    pub received_date: Option<NaiveDate>,
    pub version: String,
    pub confidence: Confidence,
    /// Why the confidence rating was given; required unless not rated.
    pub confidence_reason: String,
    pub summary: String,
    /// How many paragraphs of text it holds.
    pub paragraph_count: i64,
    /// The earlier version of the same document this one replaces (a re-issued IMR).
    pub supersedes_id: Option<String>,
    /// The later version that replaces this one, if any.
    pub superseded_by_id: Option<String>,
    /// The name of the file it was imported from (no folder); empty when typed in.
    pub file_name: String,
    /// Lowercase hex SHA-256 of that file's bytes; empty when typed in.
    pub file_sha256: String,
}

/// The editable fields of a [`Source`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(default)]
pub struct SourceInput {
    pub kind: SourceKind,
    pub agency_id: Option<String>,
    pub title: String,
    pub author: String,
    pub independence: String,
    pub received_date: Option<NaiveDate>,
    pub version: String,
    pub confidence: Confidence,
    pub confidence_reason: String,
    pub summary: String,
}

impl Default for SourceInput {
    fn default() -> Self {
        SourceInput {
            kind: SourceKind::Other,
            agency_id: None,
            title: String::new(),
            author: String::new(),
            independence: String::new(),
            received_date: None,
            version: String::new(),
            confidence: Confidence::NotRated,
            confidence_reason: String::new(),
            summary: String::new(),
        }
    }
}

impl From<Source> for SourceInput {
    fn from(s: Source) -> Self {
        SourceInput {
            kind: s.kind,
            agency_id: s.agency_id,
            title: s.title,
            author: s.author,
            independence: s.independence,
            received_date: s.received_date,
            version: s.version,
            confidence: s.confidence,
            confidence_reason: s.confidence_reason,
            summary: s.summary,
        }
    }
}

/// One numbered paragraph of a source's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Paragraph {
    pub id: String,
    pub source_id: String,
    /// 1-based order within the source.
    pub seq: i64,
    /// The document's own label ("3.2.1"), when it has one.
    pub label: Option<String>,
    /// 0 for body text, 1.. for headings.
    pub heading_level: i64,
    pub text: String,
    /// What kind of block it was in the document (body text, heading, list item, table row,
    /// footnote, endnote).
    pub kind: ParagraphKind,
}

/// The editable fields of a [`Paragraph`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ParagraphInput {
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub heading_level: i64,
    pub text: String,
}

impl ParagraphInput {
    /// A body paragraph with no label.
    pub fn body(text: impl Into<String>) -> Self {
        ParagraphInput {
            label: None,
            heading_level: 0,
            text: text.into(),
        }
    }
}

/// A quoted span of one paragraph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Excerpt {
    pub id: String,
    pub source_id: String,
    pub paragraph_id: String,
    /// Character (not byte) offset where the quote starts in the paragraph text.
    pub start: usize,
    /// Character offset just past the quote's end.
    pub end: usize,
    /// The quoted text as it was when the excerpt was made.
    pub quote: String,
    /// Lowercase hex SHA-256 of `quote`.
    pub quote_hash: String,
    pub note: String,
}

const SOURCE_SELECT: &str = "SELECT s.id, s.kind, s.agency_id, s.title, s.author, s.independence,
        s.received_date, s.version, s.confidence, s.confidence_reason, s.summary,
        (SELECT count(*) FROM paragraph p WHERE p.source_id = s.id),
        s.supersedes_id, (SELECT n.id FROM source n WHERE n.supersedes_id = s.id),
        s.file_name, s.file_sha256
    FROM source s";

fn source_from_row(r: &Row<'_>) -> rusqlite::Result<Source> {
    Ok(Source {
        id: r.get(0)?,
        kind: r.get(1)?,
        agency_id: r.get(2)?,
        title: r.get(3)?,
        author: r.get(4)?,
        independence: r.get(5)?,
        received_date: r.get(6)?,
        version: r.get(7)?,
        confidence: r.get(8)?,
        confidence_reason: r.get(9)?,
        summary: r.get(10)?,
        paragraph_count: r.get(11)?,
        supersedes_id: r.get(12)?,
        superseded_by_id: r.get(13)?,
        file_name: r.get(14)?,
        file_sha256: r.get(15)?,
    })
}

const PARAGRAPH_SELECT: &str =
    "SELECT id, source_id, seq, label, heading_level, text, kind FROM paragraph";

fn paragraph_from_row(r: &Row<'_>) -> rusqlite::Result<Paragraph> {
    Ok(Paragraph {
        id: r.get(0)?,
        source_id: r.get(1)?,
        seq: r.get(2)?,
        label: r.get(3)?,
        heading_level: r.get(4)?,
        text: r.get(5)?,
        kind: r.get(6)?,
    })
}

const EXCERPT_SELECT: &str =
    "SELECT id, source_id, paragraph_id, start, end, quote, quote_hash, note FROM excerpt";

fn excerpt_from_row(r: &Row<'_>) -> rusqlite::Result<Excerpt> {
    Ok(Excerpt {
        id: r.get(0)?,
        source_id: r.get(1)?,
        paragraph_id: r.get(2)?,
        // The schema keeps both offsets non-negative.
        start: usize::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
        end: usize::try_from(r.get::<_, i64>(4)?).unwrap_or(0),
        quote: r.get(5)?,
        quote_hash: r.get(6)?,
        note: r.get(7)?,
    })
}

/// Typed paragraphs are headings when they have a heading level, body text otherwise.
const INSERT_PARAGRAPH: &str =
    "INSERT INTO paragraph (id, source_id, seq, label, heading_level, text, kind)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, CASE WHEN ?5 > 0 THEN 'heading' ELSE 'body' END)";

/// Checks and tidies a source's fields; `conn` is used to check the agency exists.
pub(crate) fn validate_source(
    conn: &rusqlite::Connection,
    input: &SourceInput,
) -> Result<SourceInput> {
    required("title", &input.title)?;
    let agency_id = match input.agency_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(a) => {
            ensure_exists(conn, Table::Agency, "agency", a)?;
            Some(a.to_owned())
        }
    };
    if input.confidence != Confidence::NotRated && input.confidence_reason.trim().is_empty() {
        return Err(Error::invalid(
            "confidence_reason",
            format!(
                "a confidence rating of '{}' needs the reason for it",
                input.confidence
            ),
        ));
    }
    Ok(SourceInput {
        kind: input.kind,
        agency_id,
        title: input.title.trim().to_owned(),
        author: input.author.trim().to_owned(),
        independence: input.independence.trim().to_owned(),
        received_date: input.received_date,
        version: input.version.trim().to_owned(),
        confidence: input.confidence,
        confidence_reason: input.confidence_reason.trim().to_owned(),
        summary: input.summary.trim().to_owned(),
    })
}

/// Checks and tidies a paragraph's fields.
fn validate_paragraph(input: &ParagraphInput) -> Result<ParagraphInput> {
    required("text", &input.text)?;
    if !(0..=6).contains(&input.heading_level) {
        return Err(Error::invalid(
            "heading_level",
            format!("must be 0 (body text) to 6, not {}", input.heading_level),
        ));
    }
    let label = match input.label.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(l) => Some(l.to_owned()),
    };
    Ok(ParagraphInput {
        label,
        heading_level: input.heading_level,
        text: input.text.trim().to_owned(),
    })
}

/// Lowercase hex SHA-256 of `text`.
pub(crate) fn sha256_hex(text: &str) -> String {
    sha256_bytes_hex(text.as_bytes())
}

/// Lowercase hex SHA-256 of `bytes`.
pub(crate) fn sha256_bytes_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        use std::fmt::Write;
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The characters `start..end` of `text`, or `None` when the range does not fit.
fn char_slice(text: &str, start: usize, end: usize) -> Option<&str> {
    if start >= end {
        return None;
    }
    let mut indices = text.char_indices().map(|(i, _)| i).chain([text.len()]);
    let from = indices.nth(start)?;
    let to = indices.nth(end - start - 1)?;
    Some(&text[from..to])
}

/// Things that stop a source from being deleted.
const SOURCE_USES: &[Use] = &[
    Use {
        sql: "SELECT count(*) FROM source WHERE supersedes_id = ?1",
        singular: "later version",
        plural: "later versions",
        verb_singular: "replaces",
        verb_plural: "replace",
    },
    Use {
        sql: "SELECT count(DISTINCT e.finding_id) FROM evidence_link e
              JOIN excerpt x ON x.id = e.excerpt_id WHERE x.source_id = ?1",
        singular: "finding",
        plural: "findings",
        verb_singular: "cites excerpts of",
        verb_plural: "cite excerpts of",
    },
    Use {
        sql: "SELECT count(*) FROM chronology_entry WHERE source_id = ?1",
        singular: "chronology entry",
        plural: "chronology entries",
        verb_singular: "comes from",
        verb_plural: "come from",
    },
    SECTION_CITES,
    Use {
        sql: "SELECT count(*) FROM section s
              WHERE EXISTS (SELECT 1 FROM excerpt x
                            WHERE x.source_id = ?1 AND instr(s.body, x.id) > 0)
                 OR EXISTS (SELECT 1 FROM paragraph p
                            WHERE p.source_id = ?1 AND instr(s.body, p.id) > 0)",
        singular: "report section",
        plural: "report sections",
        verb_singular: "quotes the text of",
        verb_plural: "quote the text of",
    },
    Use {
        sql: "SELECT count(*) FROM comment
              WHERE target_id = ?1
                 OR target_id IN (SELECT id FROM paragraph WHERE source_id = ?1)
                 OR target_id IN (SELECT id FROM excerpt WHERE source_id = ?1)",
        singular: "comment",
        plural: "comments",
        verb_singular: "is on",
        verb_plural: "are on",
    },
];

/// Things that stop a paragraph from being deleted.
const PARAGRAPH_USES: &[Use] = &[
    Use {
        sql: "SELECT count(*) FROM excerpt WHERE paragraph_id = ?1",
        singular: "excerpt",
        plural: "excerpts",
        verb_singular: "quotes",
        verb_plural: "quote",
    },
    Use {
        sql: "SELECT count(*) FROM chronology_entry WHERE paragraph_id = ?1",
        singular: "chronology entry",
        plural: "chronology entries",
        verb_singular: "comes from",
        verb_plural: "come from",
    },
    SECTION_CITES,
    COMMENTS_ON,
];

/// Things that stop an excerpt from being deleted.
const EXCERPT_USES: &[Use] = &[
    Use {
        sql: "SELECT count(DISTINCT finding_id) FROM evidence_link WHERE excerpt_id = ?1",
        singular: "finding",
        plural: "findings",
        verb_singular: "cites",
        verb_plural: "cite",
    },
    SECTION_CITES,
    COMMENTS_ON,
];

/// Ids from a one-parameter query.
fn ids_where(c: &rusqlite::Connection, sql: &str, param: &str) -> Result<Vec<String>> {
    let ids = c
        .prepare_cached(sql)?
        .query_map([param], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Deletes an excerpt with the evidence links and comments on it.
fn remove_excerpt(c: &mut Change<'_>, id: &str) -> Result<()> {
    for link in ids_where(c, "SELECT id FROM evidence_link WHERE excerpt_id = ?1", id)? {
        c.track(Table::EvidenceLink, &link)?;
        c.execute("DELETE FROM evidence_link WHERE id = ?1", [&link])?;
    }
    delete_comments_on(c, id)?;
    c.track(Table::Excerpt, id)?;
    c.execute("DELETE FROM excerpt WHERE id = ?1", [id])?;
    Ok(())
}

/// Clears the source and/or paragraph reference of the chronology entries selected by `sql`.
fn detach_chronology(c: &mut Change<'_>, sql: &str, id: &str, clear_source: bool) -> Result<()> {
    for entry in ids_where(c, sql, id)? {
        c.track(Table::ChronologyEntry, &entry)?;
        if clear_source {
            c.execute(
                "UPDATE chronology_entry SET source_id = NULL, paragraph_id = NULL WHERE id = ?1",
                [&entry],
            )?;
        } else {
            c.execute(
                "UPDATE chronology_entry SET paragraph_id = NULL WHERE id = ?1",
                [&entry],
            )?;
        }
    }
    Ok(())
}

/// Inserts `paras` after the last paragraph of `source_id`; returns the new ids.
fn append_paragraphs(
    c: &mut Change<'_>,
    source_id: &str,
    paras: &[ParagraphInput],
) -> Result<Vec<String>> {
    let first: i64 = c.query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM paragraph WHERE source_id = ?1",
        [source_id],
        |r| r.get(0),
    )?;
    let ids: Vec<String> = paras.iter().map(|_| c.new_id()).collect();
    for id in &ids {
        c.track(Table::Paragraph, id)?;
    }
    let mut stmt = c.prepare_cached(INSERT_PARAGRAPH)?;
    for (i, (id, p)) in ids.iter().zip(paras).enumerate() {
        stmt.execute(params![
            id,
            source_id,
            first + i as i64,
            p.label,
            p.heading_level,
            p.text
        ])?;
    }
    Ok(ids)
}

impl Review {
    /// All sources in their set order.
    pub fn sources(&self) -> Result<Vec<Source>> {
        let mut stmt = self
            .db()
            .prepare_cached(&format!("{SOURCE_SELECT} ORDER BY s.position, s.rid"))?;
        let items = stmt
            .query_map([], source_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(items)
    }

    /// One source.
    pub fn source(&self, id: &str) -> Result<Source> {
        self.db()
            .prepare_cached(&format!("{SOURCE_SELECT} WHERE s.id = ?1"))?
            .query_row([id], source_from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "source",
                id: id.to_owned(),
            })
    }

    /// Adds a source with no text yet, at the end of the list.
    pub fn add_source(&mut self, input: SourceInput) -> Result<Source> {
        let input = validate_source(self.db(), &input)?;
        let id = self.change("Add source", |c| insert_source(c, &input))?;
        self.source(&id)
    }

    /// Creates a source from plain text in one undoable change: the source and every paragraph
    /// [`split_plain_text`] finds.
    /// A snapshot of the review is taken first, as before every import.
    pub fn import_text(&mut self, input: SourceInput, text: &str) -> Result<Source> {
        self.import_text_as(input, text, true)
    }

    /// [`Review::import_text`]; `snapshot` false for a review being built from scratch (the
    /// demo), whose half-built states are worth no backup.
    pub(crate) fn import_text_as(
        &mut self,
        input: SourceInput,
        text: &str,
        snapshot: bool,
    ) -> Result<Source> {
        let input = validate_source(self.db(), &input)?;
        check_plain_text(text)?;
        let paras = split_plain_text(text);
        if paras.is_empty() {
            return Err(Error::invalid("text", "no paragraphs found"));
        }
        if snapshot {
            self.snapshot("import")?;
        }
        let summary = format!("Import {}", input.title);
        let id = self.change_as(ChangeKind::Import, &summary, true, |c| {
            let id = insert_source(c, &input)?;
            append_paragraphs(c, &id, &paras)?;
            Ok(id)
        })?;
        self.source(&id)
    }

    /// Changes a source's details (not its text).
    pub fn update_source(&mut self, id: &str, input: SourceInput) -> Result<Source> {
        ensure_exists(self.db(), Table::Source, "source", id)?;
        let input = validate_source(self.db(), &input)?;
        self.change("Edit source", |c| {
            c.track(Table::Source, id)?;
            c.execute(
                "UPDATE source SET kind = ?2, agency_id = ?3, title = ?4, author = ?5,
                    independence = ?6, received_date = ?7, version = ?8, confidence = ?9,
                    confidence_reason = ?10, summary = ?11
                 WHERE id = ?1",
                params![
                    id,
                    input.kind,
                    input.agency_id,
                    input.title,
                    input.author,
                    input.independence,
                    input.received_date,
                    input.version,
                    input.confidence,
                    input.confidence_reason,
                    input.summary
                ],
            )?;
            Ok(())
        })?;
        self.source(id)
    }

    /// Moves a source to index `to` (0-based) in the list.
    pub fn move_source(&mut self, id: &str, to: usize) -> Result<()> {
        ensure_exists(self.db(), Table::Source, "source", id)?;
        self.change("Reorder sources", |c| {
            let mut ids = ordered_ids(c, Table::Source, None)?;
            move_within("source", &mut ids, id, to)?;
            write_order(c, Table::Source, &ids, false)
        })
    }

    /// Deletes a source with its paragraphs and uncited excerpts. Refused while findings cite
    /// its excerpts, chronology entries come from it, the report cites it, comments are on it
    /// or a later version replaces it, unless `cascade`, which also removes those evidence
    /// links and comments, clears the chronology entries' reference to it and leaves the later
    /// version standing on its own.
    pub fn delete_source(&mut self, id: &str, cascade: bool) -> Result<()> {
        let source = self.source(id)?;
        refuse_if_used(
            self.db(),
            id,
            &format!("source \"{}\"", source.title),
            "this source",
            SOURCE_USES,
            cascade,
        )?;
        self.change(&format!("Delete source {}", source.title), |c| {
            for x in ids_where(c, "SELECT id FROM excerpt WHERE source_id = ?1", id)? {
                remove_excerpt(c, &x)?;
            }
            detach_chronology(
                c,
                "SELECT id FROM chronology_entry WHERE source_id = ?1
                    OR paragraph_id IN (SELECT id FROM paragraph WHERE source_id = ?1)",
                id,
                true,
            )?;
            let commented = ids_where(
                c,
                "SELECT DISTINCT target_id FROM comment
                 WHERE target_id IN (SELECT id FROM paragraph WHERE source_id = ?1)",
                id,
            )?;
            for p in &commented {
                delete_comments_on(c, p)?;
            }
            delete_comments_on(c, id)?;
            for p in ids_where(
                c,
                "SELECT id FROM paragraph WHERE source_id = ?1 ORDER BY seq",
                id,
            )? {
                c.track(Table::Paragraph, &p)?;
            }
            c.execute("DELETE FROM paragraph WHERE source_id = ?1", [id])?;
            // A later version stays, no longer recorded as replacing anything.
            for later in ids_where(c, "SELECT id FROM source WHERE supersedes_id = ?1", id)? {
                c.track(Table::Source, &later)?;
                c.execute(
                    "UPDATE source SET supersedes_id = NULL WHERE id = ?1",
                    [&later],
                )?;
            }
            c.track(Table::Source, id)?;
            c.execute("DELETE FROM source WHERE id = ?1", [id])?;
            Ok(())
        })
    }

    /// A page of a source's paragraphs in order: `limit` of them from index `offset`.
    pub fn paragraphs(
        &self,
        source_id: &str,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Paragraph>> {
        ensure_exists(self.db(), Table::Source, "source", source_id)?;
        let mut stmt = self.db().prepare_cached(&format!(
            "{PARAGRAPH_SELECT} WHERE source_id = ?1 ORDER BY seq LIMIT ?2 OFFSET ?3"
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let items = stmt
            .query_map(params![source_id, limit, offset], paragraph_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(items)
    }

    /// One paragraph.
    pub fn paragraph(&self, id: &str) -> Result<Paragraph> {
        self.db()
            .prepare_cached(&format!("{PARAGRAPH_SELECT} WHERE id = ?1"))?
            .query_row([id], paragraph_from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "paragraph",
                id: id.to_owned(),
            })
    }

    /// Appends paragraphs to the end of a source's text; returns them.
    pub fn add_paragraphs(
        &mut self,
        source_id: &str,
        inputs: Vec<ParagraphInput>,
    ) -> Result<Vec<Paragraph>> {
        ensure_exists(self.db(), Table::Source, "source", source_id)?;
        let paras = inputs
            .iter()
            .enumerate()
            .map(|(i, p)| {
                validate_paragraph(p).map_err(|e| match e {
                    Error::Invalid { field, message } => {
                        Error::invalid(format!("paragraph {} {field}", i + 1), message)
                    }
                    other => other,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if paras.is_empty() {
            return Ok(Vec::new());
        }
        let label = if paras.len() == 1 {
            "Add paragraph".to_owned()
        } else {
            format!("Add {} paragraphs", paras.len())
        };
        let ids = self.change(&label, |c| append_paragraphs(c, source_id, &paras))?;
        ids.iter().map(|id| self.paragraph(id)).collect()
    }

    /// Changes a paragraph's label, heading level or text. Excerpts keep their snapshot; see
    /// [`Review::excerpt_is_current`].
    pub fn update_paragraph(&mut self, id: &str, input: ParagraphInput) -> Result<Paragraph> {
        ensure_exists(self.db(), Table::Paragraph, "paragraph", id)?;
        let input = validate_paragraph(&input)?;
        self.change("Edit paragraph", |c| {
            c.track(Table::Paragraph, id)?;
            c.execute(
                "UPDATE paragraph SET label = ?2, heading_level = ?3, text = ?4,
                    kind = CASE WHEN kind IN ('body', 'heading')
                                THEN CASE WHEN ?3 > 0 THEN 'heading' ELSE 'body' END
                                ELSE kind END
                 WHERE id = ?1",
                params![id, input.label, input.heading_level, input.text],
            )?;
            Ok(())
        })?;
        self.paragraph(id)
    }

    /// Deletes a paragraph and numbers the rest of its source again. Refused while excerpts
    /// quote it, chronology entries, report sections or comments point at it, unless
    /// `cascade`, which removes those excerpts (with their evidence links) and comments and
    /// clears the chronology entries' paragraph reference.
    pub fn delete_paragraph(&mut self, id: &str, cascade: bool) -> Result<()> {
        let para = self.paragraph(id)?;
        refuse_if_used(
            self.db(),
            id,
            &format!("paragraph {}", para.seq),
            "this paragraph",
            PARAGRAPH_USES,
            cascade,
        )?;
        self.change(&format!("Delete paragraph {}", para.seq), |c| {
            for x in ids_where(c, "SELECT id FROM excerpt WHERE paragraph_id = ?1", id)? {
                remove_excerpt(c, &x)?;
            }
            detach_chronology(
                c,
                "SELECT id FROM chronology_entry WHERE paragraph_id = ?1",
                id,
                false,
            )?;
            delete_comments_on(c, id)?;
            c.track(Table::Paragraph, id)?;
            c.execute("DELETE FROM paragraph WHERE id = ?1", [id])?;
            // Close the gap one row at a time, lowest first, so (source, seq) stays unique at
            // every step here and when undo replays the rows in reverse.
            let later: Vec<(String, i64)> = c
                .prepare_cached(
                    "SELECT id, seq FROM paragraph WHERE source_id = ?1 AND seq > ?2 ORDER BY seq",
                )?
                .query_map(params![para.source_id, para.seq], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            for (pid, seq) in later {
                c.track(Table::Paragraph, &pid)?;
                c.prepare_cached("UPDATE paragraph SET seq = ?2 WHERE id = ?1")?
                    .execute(params![pid, seq - 1])?;
            }
            Ok(())
        })
    }

    /// Quotes characters `start..end` (character offsets, not bytes) of a paragraph.
    pub fn add_excerpt(
        &mut self,
        paragraph_id: &str,
        start: usize,
        end: usize,
        note: &str,
    ) -> Result<Excerpt> {
        let para = self.paragraph(paragraph_id)?;
        let len = para.text.chars().count();
        if start >= end {
            return Err(Error::invalid(
                "range",
                format!("the start ({start}) must come before the end ({end})"),
            ));
        }
        if end > len {
            return Err(Error::invalid(
                "range",
                format!("the end ({end}) is past the paragraph's last character ({len})"),
            ));
        }
        let quote = char_slice(&para.text, start, end)
            .expect("range checked against the character count")
            .to_owned();
        let hash = sha256_hex(&quote);
        let note = note.trim().to_owned();
        let id = self.change("Add excerpt", |c| {
            let id = c.new_id();
            c.track(Table::Excerpt, &id)?;
            c.execute(
                "INSERT INTO excerpt (id, source_id, paragraph_id, start, end, quote, quote_hash, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![id, para.source_id, para.id, start as i64, end as i64, quote, hash, note],
            )?;
            Ok(id)
        })?;
        self.excerpt(&id)
    }

    /// Quotes the first occurrence of `needle` in a paragraph.
    pub fn excerpt_for_text(&mut self, paragraph_id: &str, needle: &str) -> Result<Excerpt> {
        let para = self.paragraph(paragraph_id)?;
        if needle.is_empty() {
            return Err(Error::invalid(
                "text",
                "the text to quote must not be empty",
            ));
        }
        let byte = para.text.find(needle).ok_or_else(|| {
            Error::invalid(
                "text",
                format!("\"{needle}\" does not occur in paragraph {}", para.seq),
            )
        })?;
        let start = para.text[..byte].chars().count();
        let end = start + needle.chars().count();
        self.add_excerpt(paragraph_id, start, end, "")
    }

    /// One excerpt.
    pub fn excerpt(&self, id: &str) -> Result<Excerpt> {
        self.db()
            .prepare_cached(&format!("{EXCERPT_SELECT} WHERE id = ?1"))?
            .query_row([id], excerpt_from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "excerpt",
                id: id.to_owned(),
            })
    }

    /// A source's excerpts in text order.
    pub fn excerpts_of_source(&self, source_id: &str) -> Result<Vec<Excerpt>> {
        ensure_exists(self.db(), Table::Source, "source", source_id)?;
        let mut stmt = self.db().prepare_cached(
            "SELECT x.id, x.source_id, x.paragraph_id, x.start, x.end, x.quote, x.quote_hash, x.note
             FROM excerpt x JOIN paragraph p ON p.id = x.paragraph_id
             WHERE x.source_id = ?1 ORDER BY p.seq, x.start, x.end, x.rid",
        )?;
        let items = stmt
            .query_map([source_id], excerpt_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(items)
    }

    /// A paragraph's excerpts in text order.
    pub fn excerpts_of_paragraph(&self, paragraph_id: &str) -> Result<Vec<Excerpt>> {
        ensure_exists(self.db(), Table::Paragraph, "paragraph", paragraph_id)?;
        let mut stmt = self.db().prepare_cached(&format!(
            "{EXCERPT_SELECT} WHERE paragraph_id = ?1 ORDER BY start, end, rid"
        ))?;
        let items = stmt
            .query_map([paragraph_id], excerpt_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(items)
    }

    /// Changes an excerpt's note.
    pub fn update_excerpt_note(&mut self, id: &str, note: &str) -> Result<Excerpt> {
        ensure_exists(self.db(), Table::Excerpt, "excerpt", id)?;
        let note = note.trim();
        self.change("Edit excerpt note", |c| {
            c.track(Table::Excerpt, id)?;
            c.execute(
                "UPDATE excerpt SET note = ?2 WHERE id = ?1",
                params![id, note],
            )?;
            Ok(())
        })?;
        self.excerpt(id)
    }

    /// Deletes an excerpt. Refused while findings cite it, the report cites it or comments are
    /// on it, unless `cascade`, which also removes those evidence links and comments.
    pub fn delete_excerpt(&mut self, id: &str, cascade: bool) -> Result<()> {
        ensure_exists(self.db(), Table::Excerpt, "excerpt", id)?;
        refuse_if_used(
            self.db(),
            id,
            "excerpt",
            "this excerpt",
            EXCERPT_USES,
            cascade,
        )?;
        self.change("Delete excerpt", |c| remove_excerpt(c, id))
    }

    /// Whether the paragraph still reads, at the excerpt's range, exactly what was quoted.
    pub fn excerpt_is_current(&self, id: &str) -> Result<bool> {
        let x = self.excerpt(id)?;
        let para = self.paragraph(&x.paragraph_id)?;
        Ok(char_slice(&para.text, x.start, x.end)
            .is_some_and(|now| now == x.quote && sha256_hex(now) == x.quote_hash))
    }
}

/// Inserts a source row at the end of the list; returns its id.
pub(crate) fn insert_source(c: &mut Change<'_>, input: &SourceInput) -> Result<String> {
    let id = c.new_id();
    let position = next_position(c, Table::Source, None)?;
    c.track(Table::Source, &id)?;
    c.execute(
        "INSERT INTO source (id, position, kind, agency_id, title, author, independence,
            received_date, version, confidence, confidence_reason, summary)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id,
            position,
            input.kind,
            input.agency_id,
            input.title,
            input.author,
            input.independence,
            input.received_date,
            input.version,
            input.confidence,
            input.confidence_reason,
            input.summary
        ],
    )?;
    Ok(id)
}

/// Refuses text that is plainly not a text document.
fn check_plain_text(text: &str) -> Result<()> {
    if let Some(byte) = text.find('\0') {
        let line = text[..byte].matches('\n').count() + 1;
        return Err(Error::invalid(
            "text",
            format!("contains a NUL character (line {line}); this looks like a binary file, not plain text"),
        ));
    }
    Ok(())
}

/// Reads the file at `path` as plain text for [`Review::import_text`] (see
/// [`decode_plain_text`]); a file that cannot be read is an `Io` error naming it.
pub fn read_plain_text(path: &std::path::Path) -> Result<String> {
    let bytes =
        std::fs::read(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    decode_plain_text(&bytes)
}

/// Reads a file's bytes as UTF-8 text for [`Review::import_text`], dropping a byte-order mark.
/// Anything else (a Word file, Latin-1 text) is refused with the byte where it goes wrong.
pub fn decode_plain_text(bytes: &[u8]) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::invalid(
            "text",
            format!(
                "is not UTF-8 text (invalid byte at offset {}); save the document as UTF-8 plain text",
                e.valid_up_to()
            ),
        )
    })?;
    check_plain_text(text)?;
    Ok(text.to_owned())
}

/// Splits plain text into paragraphs: every non-blank line is one paragraph (blank lines and
/// single line breaks both separate), trimmed. A leading document label ("3.2.1", "4.", "12)",
/// "(a)", "(iv)") moves into `label`; short heading-like lines get a heading level: a line
/// of at most 80 characters that does not end like a sentence and is either all capitals
/// (level 1) or a numbered line starting with a capital (level 1 for "4.", 2 for "3.2").
pub fn split_plain_text(text: &str) -> Vec<ParagraphInput> {
    // Splitting on both "\n" and "\r" covers Unix, Windows (CRLF) and old Mac (CR) line ends;
    // the empty pieces CRLF leaves are dropped with the blank lines.
    text.split('\n')
        .flat_map(|line| line.split('\r'))
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (label, rest) = split_label(line);
            ParagraphInput {
                heading_level: heading_level(line, label.as_deref(), rest),
                label,
                text: rest.to_owned(),
            }
        })
        .collect()
}

/// Splits a leading label off a trimmed line: "3.2.1 Text" → ("3.2.1", "Text"), "4. Text",
/// "12) Text", "(a) Text", "(iv) Text". A bare number with no dot or bracket ("12 children")
/// is text, not a label, and so is a label with nothing after it.
pub(crate) fn split_label(line: &str) -> (Option<String>, &str) {
    let Some(space) = line.find(char::is_whitespace) else {
        return (None, line);
    };
    let (token, rest) = (&line[..space], line[space..].trim_start());
    if rest.is_empty() {
        return (None, line);
    }
    if let Some(inner) = token.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        let digits = (1..=3).contains(&inner.len()) && inner.chars().all(|ch| ch.is_ascii_digit());
        let letter = inner.len() == 1 && inner.chars().all(|ch| ch.is_ascii_alphabetic());
        let roman = (1..=5).contains(&inner.len()) && inner.chars().all(|ch| "ivxlc".contains(ch));
        let ok = digits || letter || roman;
        return if ok {
            (Some(inner.to_owned()), rest)
        } else {
            (None, line)
        };
    }
    let (body, closed) = if let Some(b) = token.strip_suffix(')') {
        (b, true)
    } else if let Some(b) = token.strip_suffix('.') {
        (b, true)
    } else {
        (token, false)
    };
    let parts: Vec<&str> = body.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| (1..=3).contains(&p.len()) && p.chars().all(|ch| ch.is_ascii_digit()));
    // "4." and "12)" need their closing mark; "3.2" and "3.2.1" are labels by their dots.
    if numeric && (closed || parts.len() > 1) {
        (Some(body.to_owned()), rest)
    } else {
        (None, line)
    }
}

/// How the importer guesses a heading: a line of at most 80 characters that does not end like
/// a sentence (. , ; ? !) and is either all capitals (level 1, or by its label) or starts with
/// a numeric label and a capital letter (level 1 for "4", level 2 for "3.2" or deeper).
/// Everything else is body text (0).
fn heading_level(line: &str, label: Option<&str>, rest: &str) -> i64 {
    if line.chars().count() > 80 || rest.ends_with(['.', ',', ';', '?', '!']) {
        return 0;
    }
    let numeric_depth = label
        .filter(|l| l.chars().all(|ch| ch.is_ascii_digit() || ch == '.'))
        .map(|l| l.split('.').count() as i64);
    let upper = rest.chars().filter(|ch| ch.is_uppercase()).count();
    let all_caps = upper >= 2 && !rest.chars().any(char::is_lowercase);
    let starts_capital = rest.chars().next().is_some_and(char::is_uppercase);
    match (numeric_depth, all_caps) {
        (Some(depth), _) if starts_capital => depth.min(2),
        (None, true) if label.is_none() => 1,
        _ => 0,
    }
}
