//! What a citation points at, in the words of a footnote: a short label ("Police IMR ¶4.2.4",
//! "F7", "Chronology 12/03/2021", "ToR 4", "R3") and the cited words, shortened.

use rusqlite::OptionalExtension;

use super::{kind_name, shorten, CitedItem, Renderer};
use crate::error::Result;
use crate::model::sections::CitationKind;
use crate::search::{display_date, paragraph_label};

/// The longest a citation's detail runs before it is cut at a word.
const DETAIL_CHARS: usize = 240;

impl Renderer<'_> {
    /// Describes cited record `id` of `kind` as citation `number`.
    pub(crate) fn describe(
        &mut self,
        number: u32,
        kind: CitationKind,
        id: &str,
    ) -> Result<CitedItem> {
        let found = match kind {
            CitationKind::Finding => self
                .row2::<i64>("SELECT number, statement FROM finding WHERE id = ?1", id)?
                .map(|(n, text)| {
                    (
                        format!("F{n}"),
                        shorten(&self.published(&text), DETAIL_CHARS),
                    )
                }),
            CitationKind::Recommendation => self
                .row2::<i64>("SELECT number, text FROM recommendation WHERE id = ?1", id)?
                .map(|(n, text)| {
                    (
                        format!("R{n}"),
                        shorten(&self.published(&text), DETAIL_CHARS),
                    )
                }),
            CitationKind::Tor => self
                .row2::<i64>("SELECT number, text FROM tor_item WHERE id = ?1", id)?
                .map(|(n, text)| {
                    (
                        format!("ToR {n}"),
                        shorten(&self.published(&text), DETAIL_CHARS),
                    )
                }),
            CitationKind::Excerpt => {
                let row: Option<(String, i64, Option<String>, String)> = self
                    .review
                    .db()
                    .prepare_cached(
                        "SELECT e.source_id, p.seq, p.label, e.quote FROM excerpt e
                         JOIN paragraph p ON p.id = e.paragraph_id WHERE e.id = ?1",
                    )?
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                    .optional()?;
                match row {
                    Some((source, seq, label, quote)) => {
                        let name = self.source_name(&source)?;
                        Some((
                            paragraph_label(&name, seq, label.as_deref()),
                            format!("“{}”", shorten(&self.published(&quote), DETAIL_CHARS)),
                        ))
                    }
                    None => None,
                }
            }
            CitationKind::Paragraph => {
                let row: Option<(String, i64, Option<String>, String)> = self
                    .review
                    .db()
                    .prepare_cached(
                        "SELECT source_id, seq, label, text FROM paragraph WHERE id = ?1",
                    )?
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                    .optional()?;
                match row {
                    Some((source, seq, label, text)) => {
                        let name = self.source_name(&source)?;
                        Some((
                            paragraph_label(&name, seq, label.as_deref()),
                            shorten(&self.published(&text), DETAIL_CHARS),
                        ))
                    }
                    None => None,
                }
            }
            CitationKind::Chronology => {
                let row: Option<(String, String, String, Option<String>)> = self
                    .review
                    .db()
                    .prepare_cached(
                        "SELECT c.date, c.precision, c.event,
                                nullif(coalesce(nullif(a.short_name, ''), a.name), '')
                         FROM chronology_entry c LEFT JOIN agency a ON a.id = c.agency_id
                         WHERE c.id = ?1",
                    )?
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                    .optional()?;
                row.map(|(date, precision, event, agency)| {
                    let event = shorten(&self.published(&event), DETAIL_CHARS);
                    (
                        format!("Chronology {}", display_date(&date, &precision)),
                        match agency {
                            Some(a) => format!("{}: {event}", self.published(&a)),
                            None => event,
                        },
                    )
                })
            }
            CitationKind::Source => {
                let title: Option<String> = self
                    .review
                    .db()
                    .prepare_cached("SELECT title FROM source WHERE id = ?1")?
                    .query_row([id], |r| r.get(0))
                    .optional()?;
                match title {
                    Some(title) => {
                        let name = self.source_name(id)?;
                        let detail = if name == title.trim() {
                            String::new()
                        } else {
                            self.published(title.trim())
                        };
                        Some((name, detail))
                    }
                    None => None,
                }
            }
        };
        Ok(match found {
            Some((label, detail)) => CitedItem {
                number,
                kind,
                id: id.to_owned(),
                label: self.published(&label),
                // Published before it was shortened, so no name is cut in half.
                detail,
                missing: false,
            },
            None => CitedItem {
                number,
                kind,
                id: id.to_owned(),
                label: format!("Missing {} (deleted)", kind_name(kind)),
                detail: String::new(),
                missing: true,
            },
        })
    }

    /// `SELECT number, text` for one id.
    fn row2<N: rusqlite::types::FromSql>(
        &self,
        sql: &str,
        id: &str,
    ) -> Result<Option<(N, String)>> {
        Ok(self
            .review
            .db()
            .prepare_cached(sql)?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// A source's short name: "Police IMR", "Health overview", "Police chronology", else its
    /// title. Cached, since a document cites the same sources again and again.
    pub(crate) fn source_name(&mut self, source_id: &str) -> Result<String> {
        if let Some(name) = self.source_names.get(source_id) {
            return Ok(name.clone());
        }
        let row: Option<(String, String, Option<String>)> = self
            .review
            .db()
            .prepare_cached(
                "SELECT s.kind, s.title, nullif(coalesce(nullif(a.short_name, ''), a.name), '')
                 FROM source s LEFT JOIN agency a ON a.id = s.agency_id WHERE s.id = ?1",
            )?
            .query_row([source_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let name = match row {
            Some((kind, title, agency)) => short_source_name(&kind, &title, agency.as_deref()),
            None => "Source".to_owned(),
        };
        self.source_names.insert(source_id.to_owned(), name.clone());
        Ok(name)
    }
}

/// "Police IMR" for an agency's IMR, "Health overview", "Police chronology"; the title
/// otherwise.
pub(crate) fn short_source_name(kind: &str, title: &str, agency: Option<&str>) -> String {
    match (kind, agency) {
        ("imr", Some(a)) => format!("{a} IMR"),
        ("health_overview", _) => "Health overview".to_owned(),
        ("chronology", Some(a)) => format!("{a} chronology"),
        _ => title.trim().to_owned(),
    }
}
