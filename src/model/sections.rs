//! Report sections: the parts of the overview report and the executive summary, in order, each
//! a heading and a Markdown body. The body cites the evidence with `[[kind:uuid]]` tokens
//! (`[[finding:4f0c…]]`), which export turns into numbers; this module finds those tokens, says
//! which are malformed, and which point at records that no longer exist.

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::{
    delete_comments_on, move_within, next_position, ordered_ids, refuse_if_used, required,
    text_enum, write_order, COMMENTS_ON,
};
use crate::change::Table;
use crate::error::{Error, Result};
use crate::review::Review;

text_enum! {
    /// Which report a section belongs to.
    Document { Overview = "overview", Summary = "summary" }
}

text_enum! {
    /// What a citation token points at; the text is the token's `kind`.
    CitationKind {
        Finding = "finding", Excerpt = "excerpt", Chronology = "chronology",
        Recommendation = "recommendation", Paragraph = "paragraph", Tor = "tor",
        Source = "source",
    }
}

impl CitationKind {
    /// The table holding the records of this kind.
    pub fn table(self) -> Table {
        match self {
            CitationKind::Finding => Table::Finding,
            CitationKind::Excerpt => Table::Excerpt,
            CitationKind::Chronology => Table::ChronologyEntry,
            CitationKind::Recommendation => Table::Recommendation,
            CitationKind::Paragraph => Table::Paragraph,
            CitationKind::Tor => Table::TorItem,
            CitationKind::Source => Table::Source,
        }
    }
}

/// One part of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Section {
    pub id: String,
    pub document: Document,
    /// 0-based place within its document.
    pub position: i64,
    pub heading: String,
    /// Markdown with `[[kind:uuid]]` citation tokens.
    pub body: String,
}

/// The editable fields of a [`Section`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SectionInput {
    pub document: Document,
    pub heading: String,
    #[serde(default)]
    pub body: String,
}

/// One well-formed citation token found in a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Citation {
    pub kind: CitationKind,
    /// The cited record's UUID.
    pub id: String,
    /// Byte offset of the token's opening `[[` in the body.
    pub start: usize,
    /// Byte offset just after the token's closing `]]`.
    pub end: usize,
}

/// A `[[...]]` token that is not a usable citation, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CitationError {
    /// The token as written.
    pub token: String,
    /// Byte offset of the token's opening `[[` in the body.
    pub start: usize,
    /// Byte offset just after the token (or where the unclosed token was given up).
    pub end: usize,
    pub problem: String,
}

/// Everything found in a body: good citations and bad tokens, each in text order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CitationScan {
    pub citations: Vec<Citation>,
    pub errors: Vec<CitationError>,
}

/// Reads the inside of one `[[...]]` token: `kind:uuid`.
fn parse_token(inner: &str) -> std::result::Result<(CitationKind, String), String> {
    let inner = inner.trim();
    if inner.is_empty() {
        return Err("empty citation; write [[kind:id]]".into());
    }
    let Some((kind, id)) = inner.split_once(':') else {
        return Err("no kind; write [[kind:id]], e.g. [[finding:…]]".into());
    };
    let kind_text = kind.trim().to_lowercase();
    let kind = CitationKind::parse(&kind_text).ok_or_else(|| {
        let known: Vec<&str> = CitationKind::ALL.iter().map(|k| k.as_str()).collect();
        format!(
            "unknown kind '{}'; use one of: {}",
            kind.trim(),
            known.join(", ")
        )
    })?;
    let id = id.trim();
    if id.is_empty() {
        return Err(format!("no id after '{kind_text}:'"));
    }
    match uuid::Uuid::try_parse(id) {
        Ok(u) if u.hyphenated().to_string() == id => Ok((kind, id.to_owned())),
        Ok(_) => Err(format!(
            "id '{id}' must be written as a lowercase UUID with hyphens"
        )),
        Err(_) => Err(format!("'{id}' is not a record id (a UUID)")),
    }
}

/// Finds every `[[...]]` token in `body`: the citations, and the tokens that are malformed,
/// unclosed or of an unknown kind.
pub fn scan_citations(body: &str) -> CitationScan {
    let mut scan = CitationScan::default();
    let mut at = 0;
    while let Some(found) = body[at..].find("[[") {
        let start = at + found;
        let inner = start + 2;
        let close = body[inner..].find("]]").map(|i| inner + i);
        let reopen = body[inner..].find("[[").map(|i| inner + i);
        let line_end = body[inner..].find('\n').map(|i| inner + i);
        // A token closes before the next opening and on its own line.
        let closes_here =
            |close: usize| [reopen, line_end].into_iter().flatten().all(|x| x > close);
        match close {
            Some(close) if closes_here(close) => {
                let end = close + 2;
                match parse_token(&body[inner..close]) {
                    Ok((kind, id)) => scan.citations.push(Citation {
                        kind,
                        id,
                        start,
                        end,
                    }),
                    Err(problem) => scan.errors.push(CitationError {
                        token: body[start..end].to_owned(),
                        start,
                        end,
                        problem,
                    }),
                }
                at = end;
            }
            _ => {
                // Give up on this token at the next opening, line break or the end.
                let end = [reopen, line_end]
                    .into_iter()
                    .flatten()
                    .min()
                    .unwrap_or(body.len());
                scan.errors.push(CitationError {
                    token: body[start..end].to_owned(),
                    start,
                    end,
                    problem: "opened with [[ but not closed with ]]".into(),
                });
                at = reopen.unwrap_or(end);
            }
        }
    }
    scan
}

/// The well-formed citations in `body`, in text order (see [`scan_citations`] for the
/// malformed ones).
pub fn citations(body: &str) -> Vec<Citation> {
    scan_citations(body).citations
}

const SELECT: &str = "SELECT id, document, position, heading, body FROM section";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Section> {
    Ok(Section {
        id: r.get(0)?,
        document: r.get(1)?,
        position: r.get(2)?,
        heading: r.get(3)?,
        body: r.get(4)?,
    })
}

fn validate(input: &SectionInput) -> Result<SectionInput> {
    required("heading", &input.heading)?;
    Ok(SectionInput {
        document: input.document,
        heading: input.heading.trim().to_owned(),
        body: input.body.clone(),
    })
}

impl Review {
    /// The sections of one document, in order.
    pub fn sections(&self, document: Document) -> Result<Vec<Section>> {
        let sections = self
            .db()
            .prepare_cached(&format!(
                "{SELECT} WHERE document = ?1 ORDER BY position, rid"
            ))?
            .query_map([document], from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(sections)
    }

    /// One section.
    pub fn section(&self, id: &str) -> Result<Section> {
        self.db()
            .query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "section",
                id: id.to_owned(),
            })
    }

    /// Adds a section at the end of its document.
    pub fn add_section(&mut self, input: SectionInput) -> Result<Section> {
        let input = validate(&input)?;
        let id = self.change("Add section", |c| {
            let id = c.new_id();
            let scope = Some(("document", Some(input.document.as_str())));
            let position = next_position(c, Table::Section, scope)?;
            c.track(Table::Section, &id)?;
            c.execute(
                "INSERT INTO section (id, document, position, heading, body)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, input.document, position, input.heading, input.body],
            )?;
            Ok(id)
        })?;
        self.section(&id)
    }

    /// Changes a section's heading and body; a new document moves it to that document's end.
    pub fn update_section(&mut self, id: &str, input: SectionInput) -> Result<Section> {
        let old = self.section(id)?;
        let input = validate(&input)?;
        self.change(&format!("Edit section \"{}\"", old.heading), |c| {
            c.track(Table::Section, id)?;
            if input.document == old.document {
                c.execute(
                    "UPDATE section SET heading = ?2, body = ?3 WHERE id = ?1",
                    params![id, input.heading, input.body],
                )?;
            } else {
                let scope = Some(("document", Some(input.document.as_str())));
                let position = next_position(c, Table::Section, scope)?;
                c.execute(
                    "UPDATE section SET document = ?2, position = ?3, heading = ?4, body = ?5
                     WHERE id = ?1",
                    params![id, input.document, position, input.heading, input.body],
                )?;
                let scope = Some(("document", Some(old.document.as_str())));
                let ids = ordered_ids(c, Table::Section, scope)?;
                write_order(c, Table::Section, &ids, false)?;
            }
            Ok(())
        })?;
        self.section(id)
    }

    /// Moves a section to index `to` (0-based) within its document.
    pub fn move_section(&mut self, id: &str, to: usize) -> Result<()> {
        let section = self.section(id)?;
        self.change("Reorder sections", |c| {
            let scope = Some(("document", Some(section.document.as_str())));
            let mut ids = ordered_ids(c, Table::Section, scope)?;
            move_within("section", &mut ids, id, to)?;
            write_order(c, Table::Section, &ids, false)
        })
    }

    /// Deletes a section. Refused while comments are on it, unless `cascade`, which deletes
    /// them too.
    pub fn delete_section(&mut self, id: &str, cascade: bool) -> Result<()> {
        let section = self.section(id)?;
        refuse_if_used(
            self.db(),
            id,
            &format!("section \"{}\"", section.heading),
            "this section",
            &[COMMENTS_ON],
            cascade,
        )?;
        self.change(&format!("Delete section \"{}\"", section.heading), |c| {
            delete_comments_on(c, id)?;
            c.track(Table::Section, id)?;
            c.execute("DELETE FROM section WHERE id = ?1", [id])?;
            let scope = Some(("document", Some(section.document.as_str())));
            let ids = ordered_ids(c, Table::Section, scope)?;
            write_order(c, Table::Section, &ids, false)
        })
    }

    /// The citations in `document` whose target no longer exists, with the section holding
    /// each, in document order.
    pub fn broken_citations(&self, document: Document) -> Result<Vec<(String, Citation)>> {
        let mut broken = Vec::new();
        for section in self.sections(document)? {
            for citation in citations(&section.body) {
                let sql = format!(
                    "SELECT EXISTS (SELECT 1 FROM {} WHERE id = ?1)",
                    citation.kind.table().name()
                );
                let exists: bool = self
                    .db()
                    .prepare_cached(&sql)?
                    .query_row([&citation.id], |r| r.get(0))?;
                if !exists {
                    broken.push((section.id.clone(), citation));
                }
            }
        }
        Ok(broken)
    }
}
