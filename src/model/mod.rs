//! The review's records: one module per noun of DESIGN.md §2, each with create, read, update,
//! delete and (where order matters) reorder, all going through [`Review::change`] so every
//! write is one audited, undoable transaction.
//!
//! Shared pieces live here: text-backed enums, ordering and human numbers, validation, and the
//! "what cites this" check that guards deletes.

pub mod agencies;
pub mod chronology;
pub mod comments;
pub mod details;
pub mod findings;
pub mod panel;
pub mod people;
pub mod recommendations;
pub mod sections;
pub mod sources;
pub mod themes;
pub mod tor;

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::change::{Change, Table};
use crate::error::{Error, Result};

/// Declares an enum stored as snake_case text, with `as_str`, `parse` and SQL conversions.
/// It also derives `ts_rs::TS`, so the UI gets it as a union of its text values.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize, ts_rs::TS)]
        #[ts(export)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::parse(s).ok_or_else(|| $crate::error::Error::invalid(
                    stringify!($name),
                    format!("'{}' is not one of: {}", s,
                        [$($text),+].join(", "))))
            }
        }

        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let s = v.as_str()?;
                $name::parse(s).ok_or_else(|| rusqlite::types::FromSqlError::Other(
                    format!("unknown {} '{}'", stringify!($name), s).into()))
            }
        }
    };
}
pub(crate) use text_enum;

/// Refuses an empty (or all-blank) required text field.
pub(crate) fn required(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    Ok(())
}

/// Refuses a range whose end comes before its start.
pub(crate) fn date_range(
    field: &str,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> Result<()> {
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            return Err(Error::invalid(
                field,
                format!("ends ({e}) before it starts ({s})"),
            ));
        }
    }
    Ok(())
}

/// English month names, lowercase, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month (1-12) from its name or an abbreviation of at least three letters, in any case
/// and with or without a full stop ("Mar", "Sept.", "JUNE").
pub(crate) fn month_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&word))
        .map(|i| i as u32 + 1)
}

/// The capitalised English name of month `m` (1-12), or "?" outside that range.
pub(crate) fn month_name(m: u32) -> String {
    let Some(name) = MONTHS.get((m as usize).wrapping_sub(1)) else {
        return "?".into();
    };
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Stores a list of strings as a JSON array in one column.
pub(crate) fn to_json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// Reads a JSON array column back; a damaged value reads as empty rather than failing a list.
pub(crate) fn from_json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// The ids of `table`'s rows in their stored order, optionally only those where
/// `scope_column = scope_value`.
pub(crate) fn ordered_ids(
    conn: &Connection,
    table: Table,
    scope: Option<(&str, Option<&str>)>,
) -> Result<Vec<String>> {
    let t = table.name();
    let ids = match scope {
        None => {
            let mut stmt =
                conn.prepare_cached(&format!("SELECT id FROM {t} ORDER BY position, rid"))?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids
        }
        Some((column, value)) => {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id FROM {t} WHERE {column} IS ?1 ORDER BY position, rid"
            ))?;
            let ids = stmt
                .query_map([value], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids
        }
    };
    Ok(ids)
}

/// Moves `id` to index `to` (clamped) within `ids`. Errors if `id` is not there.
pub(crate) fn move_within(
    kind: &'static str,
    ids: &mut Vec<String>,
    id: &str,
    to: usize,
) -> Result<()> {
    let from = ids
        .iter()
        .position(|x| x == id)
        .ok_or_else(|| Error::NotFound {
            kind,
            id: id.to_owned(),
        })?;
    let item = ids.remove(from);
    let to = to.min(ids.len());
    ids.insert(to, item);
    Ok(())
}

/// Writes `position` = index for each id, and `number` = index + 1 when `numbered`.
/// Only rows whose values differ end up in the audit log.
pub(crate) fn write_order(
    c: &mut Change<'_>,
    table: Table,
    ids: &[String],
    numbered: bool,
) -> Result<()> {
    let t = table.name();
    let sql = if numbered {
        format!("UPDATE {t} SET position = ?1, number = ?1 + 1 WHERE id = ?2 AND (position IS NOT ?1 OR number IS NOT ?1 + 1)")
    } else {
        format!("UPDATE {t} SET position = ?1 WHERE id = ?2 AND position IS NOT ?1")
    };
    for (i, id) in ids.iter().enumerate() {
        let changed: bool = {
            let check = if numbered {
                format!("SELECT position IS NOT ?1 OR number IS NOT ?1 + 1 FROM {t} WHERE id = ?2")
            } else {
                format!("SELECT position IS NOT ?1 FROM {t} WHERE id = ?2")
            };
            c.query_row(&check, rusqlite::params![i as i64, id], |r| r.get(0))?
        };
        if changed {
            c.track(table, id)?;
            c.execute(&sql, rusqlite::params![i as i64, id])?;
        }
    }
    Ok(())
}

/// The next free position at the end of `table` (within the scope, if any).
pub(crate) fn next_position(
    conn: &Connection,
    table: Table,
    scope: Option<(&str, Option<&str>)>,
) -> Result<i64> {
    let t = table.name();
    let n: i64 = match scope {
        None => conn.query_row(
            &format!("SELECT coalesce(max(position) + 1, 0) FROM {t}"),
            [],
            |r| r.get(0),
        )?,
        Some((column, value)) => conn.query_row(
            &format!("SELECT coalesce(max(position) + 1, 0) FROM {t} WHERE {column} IS ?1"),
            [value],
            |r| r.get(0),
        )?,
    };
    Ok(n)
}

/// Fails with `NotFound` unless row `id` exists in `table`.
pub(crate) fn ensure_exists(
    conn: &Connection,
    table: Table,
    kind: &'static str,
    id: &str,
) -> Result<()> {
    let found: bool = conn.query_row(
        &format!(
            "SELECT EXISTS (SELECT 1 FROM {} WHERE id = ?1)",
            table.name()
        ),
        [id],
        |r| r.get(0),
    )?;
    if found {
        Ok(())
    } else {
        Err(Error::NotFound {
            kind,
            id: id.to_owned(),
        })
    }
}

/// One kind of thing that can point at a record, for the message when a delete is refused.
pub(crate) struct Use {
    /// `SELECT count(*) ...` with `?1` bound to the record's id.
    pub sql: &'static str,
    pub singular: &'static str,
    pub plural: &'static str,
    /// "cite", "belong to", "answer"...
    pub verb_plural: &'static str,
    pub verb_singular: &'static str,
}

/// Counts what points at `id`; returns sentences like "3 findings cite this excerpt".
pub(crate) fn count_uses(
    conn: &Connection,
    id: &str,
    this: &str,
    uses: &[Use],
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for u in uses {
        let n: i64 = conn.query_row(u.sql, [id], |r| r.get(0))?;
        if n > 0 {
            let (noun, verb) = if n == 1 {
                (u.singular, u.verb_singular)
            } else {
                (u.plural, u.verb_plural)
            };
            out.push(format!("{n} {noun} {verb} {this}"));
        }
    }
    Ok(out)
}

/// Refuses a delete when something points at the record, unless the caller cascades.
pub(crate) fn refuse_if_used(
    conn: &Connection,
    id: &str,
    what: &str,
    this: &str,
    uses: &[Use],
    cascade: bool,
) -> Result<()> {
    if cascade {
        return Ok(());
    }
    let found = count_uses(conn, id, this, uses)?;
    if found.is_empty() {
        Ok(())
    } else {
        Err(Error::InUse {
            what: what.to_owned(),
            uses: found.join("; "),
        })
    }
}

/// Report sections whose text cites `id` (citations are `[[kind:id]]` tokens).
pub(crate) const SECTION_CITES: Use = Use {
    sql: "SELECT count(*) FROM section WHERE instr(body, ?1) > 0",
    singular: "report section",
    plural: "report sections",
    verb_singular: "cites",
    verb_plural: "cite",
};

/// Comments attached to `id`.
pub(crate) const COMMENTS_ON: Use = Use {
    sql: "SELECT count(*) FROM comment WHERE target_id = ?1",
    singular: "comment",
    plural: "comments",
    verb_singular: "is on",
    verb_plural: "are on",
};

/// Deletes every comment attached to `id` (with their replies), tracking each.
pub(crate) fn delete_comments_on(c: &mut Change<'_>, id: &str) -> Result<()> {
    let ids: Vec<String> = c
        .prepare_cached(
            "WITH RECURSIVE thread(id) AS (
                 SELECT id FROM comment WHERE target_id = ?1
                 UNION SELECT comment.id FROM comment JOIN thread ON comment.parent_id = thread.id)
             SELECT id FROM thread",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    // Replies first, so no comment is removed while a reply still points at it.
    for cid in ids.iter().rev() {
        c.track(Table::Comment, cid)?;
    }
    c.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    for cid in ids.iter().rev() {
        c.execute("DELETE FROM comment WHERE id = ?1", [cid])?;
    }
    Ok(())
}
