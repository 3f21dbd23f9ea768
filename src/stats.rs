//! Counts that describe a review at a glance: how many of each record, and how much text.

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
    /// Words across all source paragraphs (counted at single spaces, so runs of spaces count
    /// extra: an estimate for display).
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
        // Words counted as space-separated runs inside SQLite, without copying the text out.
        let source_words: i64 = db.query_row(
            "SELECT coalesce(sum(length(t) - length(replace(t, ' ', '')) + 1), 0)
             FROM (SELECT trim(replace(replace(text, char(10), ' '), char(9), ' ')) AS t
                   FROM paragraph) WHERE t <> ''",
            [],
            |r| r.get(0),
        )?;
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
