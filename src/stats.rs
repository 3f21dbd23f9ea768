//! Counts that describe a review at a glance: how many of each record, and how much text.

use rusqlite::types::ValueRef;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::change::Table;
use crate::error::Result;
use crate::review::Review;

/// How many rows one table holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct TableCount {
    pub table: String,
    pub rows: i64,
}

/// The size of a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Stats {
    /// Rows per table, in the schema's table order (the review row itself is left out).
    pub tables: Vec<TableCount>,
    /// Words across all source paragraphs: runs of characters between whitespace.
    pub source_words: i64,
    /// Changes in the audit log.
    pub changes: i64,
    /// The file's size on disk in bytes, including the write-ahead log.
    pub file_bytes: u64,
}

impl Stats {
    /// The row count of one table, 0 when absent.
    pub fn rows(&self, table: Table) -> i64 {
        self.tables
            .iter()
            .find(|t| t.table == table.name())
            .map_or(0, |t| t.rows)
    }
}

impl Review {
    /// Counts every kind of record in the review.
    pub fn stats(&self) -> Result<Stats> {
        let db = self.db();
        let mut tables = Vec::new();
        for table in Table::ALL.iter().filter(|t| **t != Table::Review) {
            let rows: i64 =
                db.query_row(&format!("SELECT count(*) FROM {}", table.name()), [], |r| {
                    r.get(0)
                })?;
            tables.push(TableCount {
                table: table.name().to_owned(),
                rows,
            });
        }
        let source_words = source_words(db)?;
        let changes: i64 = db.query_row("SELECT count(*) FROM change", [], |r| r.get(0))?;
        let mut file_bytes = std::fs::metadata(self.path()).map_or(0, |m| m.len());
        let mut wal = self.path().as_os_str().to_owned();
        wal.push("-wal");
        file_bytes += std::fs::metadata(wal).map_or(0, |m| m.len());
        Ok(Stats {
            tables,
            source_words,
            changes,
            file_bytes,
        })
    }
}

/// Words in every paragraph, counted in Rust over text borrowed from SQLite's row buffer (no
/// copy, no string functions in SQL): about ten times faster than counting in SQL on a large
/// review.
fn source_words(db: &Connection) -> Result<i64> {
    let mut stmt = db.prepare_cached("SELECT text FROM paragraph")?;
    let mut rows = stmt.query([])?;
    let mut words = 0usize;
    while let Some(row) = rows.next()? {
        if let ValueRef::Text(text) = row.get_ref(0)? {
            words += count_words(text);
        }
    }
    Ok(i64::try_from(words).unwrap_or(i64::MAX))
}

/// Words in `text`: runs of characters between whitespace (Unicode's, so the no-break spaces
/// of word-processed documents separate words too). Bytes are scanned directly; only the rare
/// non-ASCII character is decoded.
pub fn count_words(text: &[u8]) -> usize {
    let text = String::from_utf8_lossy(text);
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (space, width) = if b.is_ascii() {
            (b.is_ascii_whitespace() || b == 0x0b, 1)
        } else {
            // `i` is always at a character boundary: ASCII bytes are one wide, and every
            // other character is stepped over whole.
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_whitespace(), c.len_utf8())
        };
        if !space && !in_word {
            words += 1;
        }
        in_word = !space;
        i += width;
    }
    words
}

#[cfg(test)]
mod unit {
    use super::*;
    use crate::model::sources::SourceInput;
    use crate::Context;

    #[test]
    fn words_are_runs_between_any_whitespace() {
        assert_eq!(count_words(b""), 0);
        assert_eq!(count_words(b"   \t\n "), 0);
        assert_eq!(count_words(b"one"), 1);
        assert_eq!(count_words(b"  two   words  "), 2);
        assert_eq!(count_words(b"line\none\ttab\r\nend"), 4);
        // A no-break space and an ideographic space separate words; accented letters do not.
        assert_eq!(
            count_words("caf\u{e9}\u{a0}cr\u{e8}me\u{3000}br\u{fb}l\u{e9}e".as_bytes()),
            3
        );
        // Bytes that are not UTF-8 still count as part of a word.
        assert_eq!(count_words(b"bad \xff\xfe byte"), 3);
    }

    #[test]
    fn stats_count_the_words_of_every_paragraph() {
        let dir = tempfile::tempdir().unwrap();
        let mut review =
            Review::create(&dir.path().join("r.threadline"), Context::default()).unwrap();
        assert_eq!(review.stats().unwrap().source_words, 0);
        let input = SourceInput {
            title: "IMR".into(),
            ..SourceInput::default()
        };
        review
            .import_text(
                input,
                "First  paragraph here.\n\nSecond\u{a0}one.\n\n   \n\nthird",
            )
            .unwrap();
        let stats = review.stats().unwrap();
        assert_eq!(stats.source_words, 6);
        assert_eq!(stats.rows(Table::Paragraph), 3);
    }
}
