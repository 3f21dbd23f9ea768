//! Full-text search over everything a user reads or writes in a review.
//!
//! The FTS5 table `search_index` is kept current by triggers (see the schema), so this module
//! only reads it. Two things matter here: whatever the user types must turn into a query FTS5
//! accepts ([`fts_query`] quotes every word, so no input is ever an FTS syntax error), and a
//! search must cost a bounded amount of work however common the words are (hits come a page at
//! a time, and the total is counted only up to [`TOTAL_CAP`]).

use rusqlite::{params_from_iter, types::Value as SqlValue, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::review::Review;

/// The kinds of record the index holds, as they appear in [`SearchHit::kind`].
pub const SEARCH_KINDS: &[&str] = &[
    "paragraph",
    "excerpt",
    "chronology_entry",
    "finding",
    "recommendation",
    "action",
    "section",
    "theme",
    "tor_item",
    "source",
];

/// The code of each kind in the index's rowids (code × 2^40 + the record's rid), as the
/// schema's triggers write them.
fn kind_code(kind: &str) -> Option<i64> {
    SEARCH_KINDS
        .iter()
        .position(|k| *k == kind)
        .map(|i| i as i64 + 1)
}

/// Hits per page when the caller does not say.
pub const DEFAULT_LIMIT: usize = 50;

/// The most hits one page may hold.
pub const MAX_LIMIT: usize = 200;

/// Matches are counted up to this many; beyond it the total says "more than".
pub const TOTAL_CAP: usize = 1000;

/// At most this many words of the user's text take part in a query.
pub const MAX_TERMS: usize = 64;

/// Tokens of context a snippet shows around the match.
const SNIPPET_TOKENS: i64 = 20;

/// Marks around matched words in the raw snippet FTS5 returns; control characters that text
/// typed or imported by users does not contain.
const HIT_START: char = '\u{2}';
const HIT_END: char = '\u{3}';

/// What to search for and which page of the results to return.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SearchQuery {
    /// The words as the user typed them; any text is accepted.
    pub text: String,
    /// Only these kinds of record (see [`SEARCH_KINDS`]); `None` searches everything.
    #[serde(default)]
    pub kinds: Option<Vec<String>>,
    /// How many of the best hits to skip (for paging).
    #[serde(default)]
    pub offset: usize,
    /// Hits wanted on this page; clamped to [`MAX_LIMIT`]. Zero returns only the total.
    #[serde(default = "default_limit")]
    pub limit: usize,
}

fn default_limit() -> usize {
    DEFAULT_LIMIT
}

impl SearchQuery {
    /// The first page of hits for `text` over every kind of record.
    pub fn new(text: impl Into<String>) -> Self {
        SearchQuery {
            text: text.into(),
            kinds: None,
            offset: 0,
            limit: DEFAULT_LIMIT,
        }
    }
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery::new("")
    }
}

/// One page of search results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SearchPage {
    /// How many records match, counted up to [`TOTAL_CAP`].
    pub total: usize,
    /// True when more than [`TOTAL_CAP`] records match (then `total` is the cap).
    pub total_capped: bool,
    /// This page's hits, best first.
    pub hits: Vec<SearchHit>,
}

/// One record that matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SearchHit {
    /// The kind of record, one of [`SEARCH_KINDS`].
    pub kind: String,
    /// The record's id.
    pub object_id: String,
    /// SQLite's bm25 relevance: lower (more negative) is a better match.
    pub score: f64,
    /// The matching passage with matched words between « and », for plain-text output.
    pub snippet: String,
    /// The same passage split into runs, so a UI can mark the matches without HTML.
    pub snippet_parts: Vec<SnippetPart>,
    /// Where the record is, in words a user reads.
    pub location: Location,
}

/// A run of snippet text, either a match or the context around it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SnippetPart {
    /// The text of the run.
    pub text: String,
    /// True when the run is matched words.
    pub hit: bool,
}

/// Where a hit sits in the review. Fields that do not apply to a kind are `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Location {
    /// The source document the text comes from (paragraphs, excerpts, chronology entries).
    pub source_id: Option<String>,
    /// That source's title.
    pub source_title: Option<String>,
    /// The paragraph the text sits in or was quoted from.
    pub paragraph_id: Option<String>,
    /// The paragraph's 1-based order within its source.
    pub paragraph_seq: Option<i64>,
    /// The document's own label for the paragraph ("3.2.1"), when it has one.
    pub paragraph_label: Option<String>,
    /// The nearest heading above a paragraph, or a report section's heading.
    pub heading: Option<String>,
    /// The whole location as one line: "Children's Social Care IMR ¶3.2.1", "F12", "R21 action 2".
    pub label: String,
}

/// Turns anything a user types into a safe FTS5 query, or `None` when it holds no words.
///
/// Every word becomes a quoted FTS5 string, so operators (`AND`, `OR`, `NOT`, `NEAR`), brackets,
/// colons and carets lose their special meaning and are searched as ordinary text. Inside a
/// string FTS5 applies the index's own tokenizer, so a word with punctuation inside it
/// (`ver1.1`, `12.03.2021`, `S's`) becomes a phrase of its parts and finds exactly that text.
/// Text between a balanced pair of double quotes (straight or curly) is one phrase; a quote
/// with no partner is ignored. A `*` right after a word or phrase makes its last word a prefix.
/// Terms are joined by FTS5's implicit AND; only the first [`MAX_TERMS`] take part.
pub fn fts_query(user_text: &str) -> Option<String> {
    let text: String = user_text
        .chars()
        .map(|c| match c {
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => '"',
            c => c,
        })
        .collect();
    let quotes = text.matches('"').count();
    // With an odd count the last quote has no partner; it is read as a space.
    let usable_quotes = quotes - quotes % 2;

    let mut terms: Vec<String> = Vec::new();
    let mut seen_quotes = 0;
    let mut in_phrase = false;
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            seen_quotes += 1;
            if seen_quotes > usable_quotes {
                push_word(&mut terms, &current);
                current.clear();
                continue;
            }
            if in_phrase {
                let prefix = chars.peek() == Some(&'*');
                if prefix {
                    while chars.peek() == Some(&'*') {
                        chars.next();
                    }
                }
                push_term(&mut terms, &current, prefix);
                current.clear();
                in_phrase = false;
            } else {
                push_word(&mut terms, &current);
                current.clear();
                in_phrase = true;
            }
        } else if !in_phrase && c.is_whitespace() {
            push_word(&mut terms, &current);
            current.clear();
        } else {
            current.push(c);
        }
    }
    // Quotes were paired, so no phrase is left open here.
    push_word(&mut terms, &current);

    terms.truncate(MAX_TERMS);
    if terms.is_empty() {
        None
    } else {
        Some(terms.join(" "))
    }
}

/// Adds one whitespace-separated word, honouring a trailing `*` as a prefix mark.
fn push_word(terms: &mut Vec<String>, word: &str) {
    let prefix = word.ends_with('*');
    push_term(terms, word, prefix);
}

/// Adds `body` as one quoted FTS5 string when it holds a word character.
fn push_term(terms: &mut Vec<String>, body: &str, prefix: bool) {
    // Punctuation at either end only separates; dropping it keeps the query readable.
    let core = body.trim_matches(|c: char| c.is_ascii() && !c.is_ascii_alphanumeric());
    if !core.chars().any(is_token_char) {
        return;
    }
    let quoted = format!("\"{}\"", core.replace('"', "\"\""));
    terms.push(if prefix {
        format!("{quoted} *")
    } else {
        quoted
    });
}

/// Whether the index's tokenizer (unicode61) keeps `c` in a word: letters, digits and
/// private-use characters.
fn is_token_char(c: char) -> bool {
    c.is_alphanumeric()
        || ('\u{E000}'..='\u{F8FF}').contains(&c)
        || ('\u{F0000}'..='\u{FFFFD}').contains(&c)
        || ('\u{100000}'..='\u{10FFFD}').contains(&c)
}

/// Splits FTS5's marked snippet into runs. Matches separated only by spaces become one run,
/// so a phrase reads as one highlight.
fn snippet_parts(raw: &str) -> Vec<SnippetPart> {
    let mut runs: Vec<SnippetPart> = Vec::new();
    let mut buf = String::new();
    let mut hit = false;
    for c in raw.chars() {
        let toggles = (c == HIT_START && !hit) || (c == HIT_END && hit);
        if toggles {
            if !buf.is_empty() {
                runs.push(SnippetPart {
                    text: std::mem::take(&mut buf),
                    hit,
                });
            }
            hit = !hit;
        } else if c != HIT_START && c != HIT_END {
            buf.push(c);
        }
    }
    if !buf.is_empty() {
        runs.push(SnippetPart { text: buf, hit });
    }
    let mut parts: Vec<SnippetPart> = Vec::with_capacity(runs.len());
    let mut i = 0;
    while i < runs.len() {
        let run = runs[i].clone();
        let last_is_hit = parts.last().map(|p| p.hit).unwrap_or(false);
        let gap_between_hits = !run.hit
            && run.text.trim().is_empty()
            && last_is_hit
            && runs.get(i + 1).map(|r| r.hit).unwrap_or(false);
        if gap_between_hits {
            let last = parts.last_mut().expect("a hit precedes the gap");
            last.text.push_str(&run.text);
            last.text.push_str(&runs[i + 1].text);
            i += 2;
            continue;
        }
        match parts.last_mut() {
            Some(last) if last.hit == run.hit => last.text.push_str(&run.text),
            _ => parts.push(run),
        }
        i += 1;
    }
    parts
}

/// The runs as one line with matches between « and ».
fn snippet_text(parts: &[SnippetPart]) -> String {
    let mut out = String::new();
    for p in parts {
        if p.hit {
            out.push('«');
            out.push_str(&p.text);
            out.push('»');
        } else {
            out.push_str(&p.text);
        }
    }
    out
}

/// A chronology date as a reader writes it, to the precision it is known.
pub(crate) fn display_date(iso: &str, precision: &str) -> String {
    let parts: Vec<&str> = iso.splitn(3, '-').collect();
    let (y, m, d) = match parts.as_slice() {
        [y, m, d] => (*y, *m, *d),
        _ => return iso.to_owned(),
    };
    match precision {
        "year" => y.to_owned(),
        "month" => format!("{m}/{y}"),
        "approximate" => format!("c. {d}/{m}/{y}"),
        _ => format!("{d}/{m}/{y}"),
    }
}

/// The reader's name for a report document.
pub(crate) fn document_name(document: &str) -> &'static str {
    match document {
        "summary" => "Executive summary",
        _ => "Overview report",
    }
}

/// "Title ¶3.2.1" for a labelled paragraph, "Title, paragraph 12" otherwise.
pub(crate) fn paragraph_label(title: &str, seq: i64, label: Option<&str>) -> String {
    match label.filter(|l| !l.trim().is_empty()) {
        Some(l) => format!("{title} ¶{l}"),
        None => format!("{title}, paragraph {seq}"),
    }
}

impl Review {
    /// Searches the review. Any text is accepted; text with no words gives an empty page.
    /// Unknown kinds in the filter are refused.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchPage> {
        let empty = SearchPage {
            total: 0,
            total_capped: false,
            hits: Vec::new(),
        };
        if let Some(kinds) = &query.kinds {
            for k in kinds {
                if !SEARCH_KINDS.contains(&k.as_str()) {
                    return Err(Error::invalid(
                        "kinds",
                        format!("'{k}' is not one of: {}", SEARCH_KINDS.join(", ")),
                    ));
                }
            }
            if kinds.is_empty() {
                return Ok(empty);
            }
        }
        let Some(fts) = fts_query(&query.text) else {
            return Ok(empty);
        };

        let mut args: Vec<SqlValue> = vec![SqlValue::Text(fts)];
        let mut filter = String::new();
        if let Some(kinds) = &query.kinds {
            // The index rowid carries the kind's code above bit 40, so the filter needs no
            // look-up of the stored kind column for every match.
            let mut codes: Vec<i64> = kinds.iter().filter_map(|k| kind_code(k)).collect();
            codes.sort_unstable();
            codes.dedup();
            let marks: Vec<String> = (0..codes.len()).map(|i| format!("?{}", i + 2)).collect();
            filter = format!(" AND (rowid >> 40) IN ({})", marks.join(", "));
            args.extend(codes.into_iter().map(SqlValue::Integer));
        }

        // Counting stops one past the cap, so a common word costs no more than a rare one.
        let counted: i64 = self.db().prepare_cached(&format!(
            "SELECT count(*) FROM (SELECT 1 FROM search_index WHERE search_index MATCH ?1{filter} LIMIT {})",
            TOTAL_CAP + 1
        ))?
        .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
        let counted = counted as usize;
        let mut page = SearchPage {
            total: counted.min(TOTAL_CAP),
            total_capped: counted > TOTAL_CAP,
            hits: Vec::new(),
        };
        let limit = query.limit.min(MAX_LIMIT);
        if limit == 0 || (!page.total_capped && query.offset >= counted) {
            return Ok(page);
        }

        let n = args.len();
        let sql = format!(
            "SELECT kind, object_id, bm25(search_index),
                    snippet(search_index, 2, char(2), char(3), '…', {SNIPPET_TOKENS})
             FROM search_index WHERE search_index MATCH ?1{filter}
             ORDER BY rank, rowid LIMIT ?{} OFFSET ?{}",
            n + 1,
            n + 2
        );
        args.push(SqlValue::Integer(limit as i64));
        args.push(SqlValue::Integer(query.offset as i64));
        let rows: Vec<(String, String, f64, String)> = self
            .db()
            .prepare_cached(&sql)?
            .query_map(params_from_iter(args.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;

        for (kind, object_id, score, raw) in rows {
            let location = self.locate(&kind, &object_id)?;
            let parts = snippet_parts(&raw);
            page.hits.push(SearchHit {
                snippet: snippet_text(&parts),
                snippet_parts: parts,
                kind,
                object_id,
                score,
                location,
            });
        }
        Ok(page)
    }

    /// Says where record `id` of `kind` is, in words a user reads. One or two indexed
    /// lookups; a record that has gone reads as its kind alone.
    pub fn locate(&self, kind: &str, id: &str) -> Result<Location> {
        let db = self.db();
        let mut loc = Location::default();
        match kind {
            "paragraph" => {
                let row = db
                    .prepare_cached(
                        "SELECT p.source_id, s.title, p.seq, p.label
                         FROM paragraph p JOIN source s ON s.id = p.source_id WHERE p.id = ?1",
                    )?
                    .query_row([id], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, i64>(2)?,
                            r.get::<_, Option<String>>(3)?,
                        ))
                    })
                    .optional()?;
                if let Some((source_id, title, seq, label)) = row {
                    loc.heading = self.heading_above(&source_id, seq)?;
                    loc.label = paragraph_label(&title, seq, label.as_deref());
                    loc.source_id = Some(source_id);
                    loc.source_title = Some(title);
                    loc.paragraph_id = Some(id.to_owned());
                    loc.paragraph_seq = Some(seq);
                    loc.paragraph_label = label;
                }
            }
            "excerpt" => {
                let row = db
                    .prepare_cached(
                        "SELECT e.source_id, s.title, e.paragraph_id, p.seq, p.label
                         FROM excerpt e JOIN source s ON s.id = e.source_id
                         JOIN paragraph p ON p.id = e.paragraph_id WHERE e.id = ?1",
                    )?
                    .query_row([id], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, i64>(3)?,
                            r.get::<_, Option<String>>(4)?,
                        ))
                    })
                    .optional()?;
                if let Some((source_id, title, paragraph_id, seq, label)) = row {
                    loc.heading = self.heading_above(&source_id, seq)?;
                    loc.label = format!(
                        "Excerpt, {}",
                        paragraph_label(&title, seq, label.as_deref())
                    );
                    loc.source_id = Some(source_id);
                    loc.source_title = Some(title);
                    loc.paragraph_id = Some(paragraph_id);
                    loc.paragraph_seq = Some(seq);
                    loc.paragraph_label = label;
                }
            }
            "chronology_entry" => {
                let row = db
                    .prepare_cached(
                        "SELECT c.date, c.precision, c.source_id, s.title, c.paragraph_id, p.seq,
                                p.label
                         FROM chronology_entry c
                         LEFT JOIN source s ON s.id = c.source_id
                         LEFT JOIN paragraph p ON p.id = c.paragraph_id
                         WHERE c.id = ?1",
                    )?
                    .query_row([id], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, Option<String>>(2)?,
                            r.get::<_, Option<String>>(3)?,
                            r.get::<_, Option<String>>(4)?,
                            r.get::<_, Option<i64>>(5)?,
                            r.get::<_, Option<String>>(6)?,
                        ))
                    })
                    .optional()?;
                if let Some((date, precision, source_id, title, paragraph_id, seq, label)) = row {
                    loc.label = format!("Chronology {}", display_date(&date, &precision));
                    loc.source_id = source_id;
                    loc.source_title = title;
                    loc.paragraph_id = paragraph_id;
                    loc.paragraph_seq = seq;
                    loc.paragraph_label = label;
                }
            }
            "finding" => {
                let number: Option<i64> = db
                    .prepare_cached("SELECT number FROM finding WHERE id = ?1")?
                    .query_row([id], |r| r.get(0))
                    .optional()?;
                if let Some(n) = number {
                    loc.label = format!("F{n}");
                }
            }
            "recommendation" => {
                let number: Option<i64> = db
                    .prepare_cached("SELECT number FROM recommendation WHERE id = ?1")?
                    .query_row([id], |r| r.get(0))
                    .optional()?;
                if let Some(n) = number {
                    loc.label = format!("R{n}");
                }
            }
            "action" => {
                let row: Option<(i64, i64)> = db
                    .prepare_cached(
                        "SELECT r.number,
                                (SELECT count(*) FROM action o
                                 WHERE o.recommendation_id = a.recommendation_id
                                   AND (o.position < a.position
                                        OR (o.position = a.position AND o.rid < a.rid))) + 1
                         FROM action a JOIN recommendation r ON r.id = a.recommendation_id
                         WHERE a.id = ?1",
                    )?
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                if let Some((rec, n)) = row {
                    loc.label = format!("R{rec} action {n}");
                }
            }
            "section" => {
                let row: Option<(String, String)> = db
                    .prepare_cached("SELECT document, heading FROM section WHERE id = ?1")?
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                if let Some((document, heading)) = row {
                    loc.label = format!("{}: {heading}", document_name(&document));
                    loc.heading = Some(heading);
                }
            }
            "theme" => {
                let title: Option<String> = db
                    .prepare_cached("SELECT title FROM theme WHERE id = ?1")?
                    .query_row([id], |r| r.get(0))
                    .optional()?;
                if let Some(t) = title {
                    loc.label = format!("Theme: {t}");
                }
            }
            "tor_item" => {
                let number: Option<i64> = db
                    .prepare_cached("SELECT number FROM tor_item WHERE id = ?1")?
                    .query_row([id], |r| r.get(0))
                    .optional()?;
                if let Some(n) = number {
                    loc.label = format!("ToR {n}");
                }
            }
            "source" => {
                let title: Option<String> = db
                    .prepare_cached("SELECT title FROM source WHERE id = ?1")?
                    .query_row([id], |r| r.get(0))
                    .optional()?;
                if let Some(t) = title {
                    loc.source_id = Some(id.to_owned());
                    loc.label = t.clone();
                    loc.source_title = Some(t);
                }
            }
            _ => {}
        }
        if loc.label.is_empty() {
            loc.label = kind.replace('_', " ");
        }
        Ok(loc)
    }

    /// The text of the nearest heading paragraph above paragraph `seq` of a source. The look
    /// back is bounded so a long source with no headings costs little.
    fn heading_above(&self, source_id: &str, seq: i64) -> Result<Option<String>> {
        Ok(self
            .db()
            .prepare_cached(
                "SELECT text FROM paragraph
                 WHERE source_id = ?1 AND seq < ?2 AND seq >= ?2 - 2000 AND heading_level > 0
                 ORDER BY seq DESC LIMIT 1",
            )?
            .query_row(rusqlite::params![source_id, seq], |r| r.get(0))
            .optional()?)
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn snippet_runs_merge_adjacent_matches() {
        let parts = snippet_parts("the \u{2}child\u{3} \u{2}protection\u{3} plan");
        assert_eq!(
            parts,
            vec![
                SnippetPart {
                    text: "the ".into(),
                    hit: false
                },
                SnippetPart {
                    text: "child protection".into(),
                    hit: true
                },
                SnippetPart {
                    text: " plan".into(),
                    hit: false
                },
            ]
        );
        assert_eq!(snippet_text(&parts), "the «child protection» plan");
    }

    #[test]
    fn dates_follow_their_precision() {
        assert_eq!(display_date("2021-03-12", "day"), "12/03/2021");
        assert_eq!(display_date("2021-03-01", "month"), "03/2021");
        assert_eq!(display_date("2021-01-01", "year"), "2021");
        assert_eq!(display_date("2021-03-12", "approximate"), "c. 12/03/2021");
    }
}
