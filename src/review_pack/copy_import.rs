//! Taking a later copy of the review into one's own: the chair receives the author's next
//! draft as a whole review file and imports it into the copy they have been commenting in.
//!
//! The content of the review (everything but comments) becomes the incoming copy's; the
//! comments of both are merged by UUID, a newer edit or resolution winning whoever made it;
//! issued drafts the copy has and this file lacks are added; verdicts are merged like
//! comments. Nothing is written until everything is checked, and then in one change.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, OpenFlags};

use super::merge::{apply, local_approvals, plan, Source};
use super::{bad, PackComment, PackImportReport, ReturnPack, RETURN_PACK_FORMAT};
use crate::anchor::{locate, AnchorPlace};
use crate::change::{ChangeKind, Table};
use crate::context::Actor;
use crate::error::{Error, Result};
use crate::model::comments::{all_comments, target_text};
use crate::review::{review_row_id, Review, SCHEMA_VERSION};

/// One row's columns (all but `rid`) and values, in column order.
type Row = Vec<(String, SqlValue)>;

/// One table's rows by id.
type Rows = BTreeMap<String, Row>;

fn read_rows(conn: &Connection, table: &str) -> Result<Rows> {
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table}"))?;
    let names: Vec<String> = stmt.column_names().map(String::from).collect();
    let mut rows = stmt.query([])?;
    let mut out = Rows::new();
    while let Some(row) = rows.next()? {
        let mut id = None;
        let mut cols = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            if name == "rid" {
                continue;
            }
            let value = match row.get_ref(i)? {
                ValueRef::Null => SqlValue::Null,
                ValueRef::Integer(n) => SqlValue::Integer(n),
                ValueRef::Real(f) => SqlValue::Real(f),
                ValueRef::Text(t) => SqlValue::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => SqlValue::Blob(b.to_vec()),
            };
            if name == "id" {
                if let SqlValue::Text(t) = &value {
                    id = Some(t.clone());
                }
            }
            cols.push((name.clone(), value));
        }
        if let Some(id) = id {
            out.insert(id, cols);
        }
    }
    Ok(out)
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Puts `row` into `table`: an update of the row with its id, or a new row.
fn upsert(c: &Connection, table: &str, row: &[(String, SqlValue)], exists: bool) -> Result<()> {
    let values: Vec<&dyn rusqlite::ToSql> =
        row.iter().map(|(_, v)| v as &dyn rusqlite::ToSql).collect();
    let sql = if exists {
        let sets: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, (n, _))| format!("{} = ?{}", quote_ident(n), i + 1))
            .collect();
        let id_at = row.iter().position(|(n, _)| n == "id").unwrap_or(0) + 1;
        format!("UPDATE {table} SET {} WHERE id = ?{id_at}", sets.join(", "))
    } else {
        let names: Vec<String> = row.iter().map(|(n, _)| quote_ident(n)).collect();
        let marks: Vec<String> = (1..=row.len()).map(|i| format!("?{i}")).collect();
        format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            names.join(", "),
            marks.join(", ")
        )
    };
    c.execute(&sql, values.as_slice())?;
    Ok(())
}

fn table_exists(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
        [name],
        |r| r.get(0),
    )?)
}

impl Review {
    /// Imports the whole review file at `path` (a later send pack of this same review): see
    /// the module documentation.
    pub(super) fn import_copy(&mut self, path: &Path, name: &str) -> Result<PackImportReport> {
        let checked = crate::backup::verify_file(path, self.key.as_ref())?;
        if checked.schema_version != SCHEMA_VERSION {
            return Err(bad(
                name,
                format!(
                    "it is a review file of schema {}, this one is {SCHEMA_VERSION}; open it \
                     once with this version of Threadline, then import it",
                    checked.schema_version
                ),
            ));
        }
        let incoming = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        if let Some(key) = &self.key {
            crate::crypto::apply_key(&incoming, key)?;
            crate::crypto::check_key(&incoming)?;
        }
        incoming.pragma_update(None, "trusted_schema", "OFF")?;
        let theirs = review_row_id(&incoming)?.unwrap_or_default();
        let here = review_row_id(self.db())?.unwrap_or_default();
        if theirs != here {
            return Err(bad(
                name,
                format!("it is another review (review id {theirs}), not this one ({here})"),
            ));
        }

        // Comments and verdicts: merged as a pack from the copy, newer edits winning.
        let made_by: Actor = incoming
            .query_row(
                "SELECT actor, role FROM change ORDER BY seq DESC LIMIT 1",
                [],
                |r| {
                    Ok(Actor {
                        name: r.get(0)?,
                        role: r.get(1)?,
                    })
                },
            )
            .unwrap_or_else(|_| Actor {
                name: name.to_owned(),
                role: String::new(),
            });
        let pack = ReturnPack {
            format: RETURN_PACK_FORMAT.to_owned(),
            version: super::RETURN_PACK_VERSION,
            review_id: theirs,
            made_by: made_by.clone(),
            made_at: self.clock.now(),
            comments: all_comments(&incoming)?
                .iter()
                .map(PackComment::from)
                .collect(),
            approvals: Some(local_approvals(&incoming, None)?),
        };
        let (mut report, merge) = plan(
            self,
            &pack,
            name,
            Source {
                texts: &incoming,
                anyone: true,
            },
        )?;
        report.made_by = made_by.name.clone();

        // This file's own comments: where their words are in the incoming text.
        let new_ids: HashSet<&str> = pack.comments.iter().map(|c| c.id.as_str()).collect();
        for c in all_comments(self.db())? {
            let Some(a) = &c.anchor else { continue };
            if new_ids.contains(c.id.as_str()) {
                continue;
            }
            match target_text(&incoming, c.target_kind, &c.target_id)?
                .as_deref()
                .map(|t| locate(a, t))
            {
                Some(AnchorPlace::Located { start, .. }) => {
                    if a.hint.is_some_and(|h| h != start) {
                        report.reanchored += 1;
                    }
                }
                _ => report.orphaned.push(super::OrphanedComment {
                    comment_id: c.id.clone(),
                    quote: a.exact.clone(),
                }),
            }
        }

        // The content: every table but comments, row by row.
        let mut deletes: Vec<(Table, String)> = Vec::new();
        let mut upserts: Vec<(Table, Row, bool)> = Vec::new();
        for table in Table::ALL {
            // Comments are merged; drafts and verdicts (if a later build lists them) too.
            if matches!(table.name(), "comment" | "draft" | "approval") {
                continue;
            }
            let theirs = read_rows(&incoming, table.name())?;
            let ours = read_rows(self.db(), table.name())?;
            for id in ours.keys() {
                if !theirs.contains_key(id) {
                    deletes.push((table, id.clone()));
                }
            }
            for (id, row) in theirs {
                match ours.get(&id) {
                    Some(mine) if *mine == row => {}
                    Some(_) => upserts.push((table, row, true)),
                    None => upserts.push((table, row, false)),
                }
            }
        }
        let replaced = deletes.len() + upserts.len();

        // Issued drafts never change: the ones this file lacks are added.
        let mut drafts: Vec<Row> = Vec::new();
        if table_exists(&incoming, "draft")? && table_exists(self.db(), "draft")? {
            let ours = read_rows(self.db(), "draft")?;
            let numbers: HashSet<String> = ours
                .values()
                .filter_map(|r| r.iter().find(|(n, _)| n == "number"))
                .map(|(_, v)| format!("{v:?}"))
                .collect();
            for (id, row) in read_rows(&incoming, "draft")? {
                if ours.contains_key(&id) {
                    continue;
                }
                let number = row
                    .iter()
                    .find(|(n, _)| n == "number")
                    .map(|(_, v)| format!("{v:?}"));
                if number.is_some_and(|n| numbers.contains(&n)) {
                    report.skipped.push(format!(
                        "draft {id}: this file already has a draft with its number"
                    ));
                    continue;
                }
                drafts.push(row);
            }
        }
        report.records_replaced = (replaced + drafts.len()) as u32;
        drop(incoming);

        if merge.is_empty() && deletes.is_empty() && upserts.is_empty() && drafts.is_empty() {
            return Ok(report);
        }
        let summary = format!("Take in the review from {name}");
        self.change_as(ChangeKind::Import, &summary, true, |c| {
            c.pragma_update(None, "defer_foreign_keys", "ON")?;
            // Rows that reference others go first.
            for (table, id) in deletes.iter().rev() {
                c.track(*table, id)?;
                c.execute(&format!("DELETE FROM {} WHERE id = ?1", table.name()), [id])?;
            }
            for (table, row, exists) in &upserts {
                let id = row
                    .iter()
                    .find_map(|(n, v)| match (n.as_str(), v) {
                        ("id", SqlValue::Text(t)) => Some(t.clone()),
                        _ => None,
                    })
                    .ok_or_else(|| Error::invalid("id", "a row without an id"))?;
                c.track(*table, &id)?;
                upsert(c, table.name(), row, *exists)?;
            }
            // Drafts are not rows undo covers: an issued draft stays.
            for row in &drafts {
                upsert(c, "draft", row, false)?;
            }
            apply(c, &merge)
        })?;
        Ok(report)
    }
}
