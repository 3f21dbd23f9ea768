//! Every edit is one transaction that also writes its audit rows; undo and redo replay them.
//!
//! A write goes through [`Review::change`]: the closure runs its own SQL inside a transaction
//! and calls [`Change::track`] on every row it is about to touch. At commit the tracked rows are
//! read again, and each row whose content moved is written to `change_row` with its whole state
//! before and after as JSON. Undo puts the "before" states back (in reverse order), redo puts
//! the "after" states back; both are changes of their own, so the audit log tells everything.

use chrono::SecondsFormat;
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::review::Review;

/// Every table a change may touch. The names are ours, never user input, so they may be
/// written into SQL text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    Review,
    Person,
    Agency,
    PanelMember,
    Meeting,
    TorItem,
    Source,
    Paragraph,
    Excerpt,
    ChronologyEntry,
    Theme,
    Finding,
    EvidenceLink,
    FindingTor,
    Recommendation,
    RecommendationFinding,
    Action,
    ActionUpdate,
    Section,
    Comment,
}

impl Table {
    pub const ALL: [Table; 20] = [
        Table::Review,
        Table::Person,
        Table::Agency,
        Table::PanelMember,
        Table::Meeting,
        Table::TorItem,
        Table::Source,
        Table::Paragraph,
        Table::Excerpt,
        Table::ChronologyEntry,
        Table::Theme,
        Table::Finding,
        Table::EvidenceLink,
        Table::FindingTor,
        Table::Recommendation,
        Table::RecommendationFinding,
        Table::Action,
        Table::ActionUpdate,
        Table::Section,
        Table::Comment,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Review => "review",
            Table::Person => "person",
            Table::Agency => "agency",
            Table::PanelMember => "panel_member",
            Table::Meeting => "meeting",
            Table::TorItem => "tor_item",
            Table::Source => "source",
            Table::Paragraph => "paragraph",
            Table::Excerpt => "excerpt",
            Table::ChronologyEntry => "chronology_entry",
            Table::Theme => "theme",
            Table::Finding => "finding",
            Table::EvidenceLink => "evidence_link",
            Table::FindingTor => "finding_tor",
            Table::Recommendation => "recommendation",
            Table::RecommendationFinding => "recommendation_finding",
            Table::Action => "action",
            Table::ActionUpdate => "action_update",
            Table::Section => "section",
            Table::Comment => "comment",
        }
    }

    pub fn from_name(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// What kind of change an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Edit,
    Import,
    Load,
}

impl ChangeKind {
    fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Edit => "edit",
            ChangeKind::Import => "import",
            ChangeKind::Load => "load",
        }
    }
}

/// A row as a JSON object of column name to value.
type Row = Map<String, Value>;

/// One change in progress: the open transaction and the rows it has said it touches.
pub struct Change<'a> {
    pub(crate) tx: Transaction<'a>,
    ids: &'a mut dyn crate::context::Ids,
    tracked: Vec<(Table, String, Option<Row>)>,
    seen: std::collections::HashSet<(Table, String)>,
    /// When false, rows are not snapshotted (bulk loads); the change is still logged.
    record_rows: bool,
}

impl<'a> std::ops::Deref for Change<'a> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.tx
    }
}

impl Change<'_> {
    /// Notes that `id` in `table` is about to be created, changed or deleted. Call it before
    /// the SQL that touches the row.
    pub fn track(&mut self, table: Table, id: &str) -> Result<()> {
        if !self.record_rows || !self.seen.insert((table, id.to_owned())) {
            return Ok(());
        }
        let before = snapshot(&self.tx, table, id)?;
        self.tracked.push((table, id.to_owned(), before));
        Ok(())
    }

    /// A fresh record id.
    pub fn new_id(&mut self) -> String {
        self.ids.next_id().to_string()
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AuditEntry {
    pub seq: i64,
    pub id: String,
    pub at: String,
    pub actor: String,
    pub role: String,
    pub kind: String,
    pub summary: String,
    pub state: String,
    pub rows: Vec<AuditRow>,
}

/// One record's state before and after a change.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AuditRow {
    pub table: String,
    pub row_id: String,
    #[ts(type = "Record<string, unknown> | null")]
    pub before: Option<Value>,
    #[ts(type = "Record<string, unknown> | null")]
    pub after: Option<Value>,
}

impl Review {
    /// Runs `f` as one user edit: one transaction, audited, undoable.
    pub(crate) fn change<T>(
        &mut self,
        summary: &str,
        f: impl FnOnce(&mut Change<'_>) -> Result<T>,
    ) -> Result<T> {
        self.change_as(ChangeKind::Edit, summary, true, f)
    }

    /// Runs `f` as one change of the given kind. `record_rows` false skips row snapshots for
    /// bulk work (loading a whole review) where an undo makes no sense.
    pub(crate) fn change_as<T>(
        &mut self,
        kind: ChangeKind,
        summary: &str,
        record_rows: bool,
        f: impl FnOnce(&mut Change<'_>) -> Result<T>,
    ) -> Result<T> {
        self.ensure_sound()?;
        let at = self
            .clock
            .now()
            .to_rfc3339_opts(SecondsFormat::Millis, true);
        let change_id = self.ids.next_id().to_string();
        let actor = self.actor.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut change = Change {
            tx,
            ids: self.ids.as_mut(),
            tracked: Vec::new(),
            seen: Default::default(),
            record_rows,
        };
        let value = f(&mut change)?;
        let Change { tx, tracked, .. } = change;
        let mut rows = Vec::with_capacity(tracked.len());
        for (table, id, before) in tracked {
            let after = snapshot(&tx, table, &id)?;
            if before != after {
                rows.push((table, id, before, after));
            }
        }
        if record_rows && rows.is_empty() {
            // Nothing moved: no audit row, nothing to undo. The transaction is dropped unchanged.
            tx.commit()?;
            return Ok(value);
        }
        if kind != ChangeKind::Load {
            // A new edit ends the chance to redo what was undone before it.
            tx.execute(
                "UPDATE change SET state = 'dropped' WHERE state = 'undone'",
                [],
            )?;
        }
        let seq = insert_change(
            &tx,
            &change_id,
            &at,
            &actor,
            kind.as_str(),
            summary,
            None,
            "done",
        )?;
        insert_rows(&tx, seq, &rows)?;
        tx.commit()?;
        Ok(value)
    }

    /// Undoes the most recent edit that is not undone yet. Returns its summary.
    pub fn undo(&mut self) -> Result<String> {
        let target: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT seq, summary FROM change
                 WHERE kind IN ('edit', 'import') AND state = 'done'
                 ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (seq, summary) = target.ok_or(Error::NothingToUndo)?;
        self.replay(seq, &summary, Replay::Undo)?;
        Ok(summary)
    }

    /// Redoes the edit undone most recently, if nothing was edited since.
    pub fn redo(&mut self) -> Result<String> {
        let target: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT seq, summary FROM change WHERE state = 'undone' ORDER BY seq ASC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (seq, summary) = target.ok_or(Error::NothingToRedo)?;
        self.replay(seq, &summary, Replay::Redo)?;
        Ok(summary)
    }

    /// What undo and redo would act on now: `(undo summary, redo summary)`.
    pub fn undo_state(&self) -> Result<(Option<String>, Option<String>)> {
        let undo = self
            .conn
            .query_row(
                "SELECT summary FROM change WHERE kind IN ('edit', 'import') AND state = 'done'
                 ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let redo = self
            .conn
            .query_row(
                "SELECT summary FROM change WHERE state = 'undone' ORDER BY seq ASC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok((undo, redo))
    }

    fn replay(&mut self, target: i64, summary: &str, how: Replay) -> Result<()> {
        self.ensure_sound()?;
        let at = self
            .clock
            .now()
            .to_rfc3339_opts(SecondsFormat::Millis, true);
        let change_id = self.ids.next_id().to_string();
        let actor = self.actor.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Rows are restored one at a time; references are checked once all are back.
        tx.pragma_update(None, "defer_foreign_keys", "ON")?;
        let recorded = load_rows(&tx, target)?;
        let ordered: Vec<_> = match how {
            Replay::Undo => recorded.into_iter().rev().collect(),
            Replay::Redo => recorded,
        };
        let mut rows = Vec::with_capacity(ordered.len());
        for (table, id, before, after) in ordered {
            let (expected, wanted) = match how {
                Replay::Undo => (after, before),
                Replay::Redo => (before, after),
            };
            let current = snapshot(&tx, table, &id)?;
            if current != expected {
                return Err(Error::UndoConflict {
                    summary: summary.to_owned(),
                    table: table.name().to_owned(),
                    id,
                });
            }
            restore(&tx, table, &id, current.is_some(), wanted.as_ref())?;
            rows.push((table, id, current, wanted));
        }
        let (kind, new_state) = match how {
            Replay::Undo => ("undo", "undone"),
            Replay::Redo => ("redo", "done"),
        };
        let label = format!(
            "{} {}",
            if how == Replay::Undo { "Undo" } else { "Redo" },
            summary
        );
        let seq = insert_change(
            &tx,
            &change_id,
            &at,
            &actor,
            kind,
            &label,
            Some(target),
            "fixed",
        )?;
        insert_rows(&tx, seq, &rows)?;
        tx.execute(
            "UPDATE change SET state = ?1 WHERE seq = ?2",
            params![new_state, target],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Makes everything done so far permanent: it stays in the audit log but can no longer be
    /// undone or redone. Used when a review is handed over complete (the demo, a load).
    /// Returns how many changes were sealed.
    pub fn seal_history(&mut self) -> Result<usize> {
        self.ensure_sound()?;
        let tx = self.conn.transaction()?;
        let n = tx.execute("UPDATE change SET state = 'fixed' WHERE state = 'done'", [])?;
        let m = tx.execute(
            "UPDATE change SET state = 'dropped' WHERE state = 'undone'",
            [],
        )?;
        tx.commit()?;
        Ok(n + m)
    }

    /// The audit log, newest first, at most `limit` entries.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.db().prepare(
            "SELECT seq, id, at, actor, role, kind, summary, state FROM change
             ORDER BY seq DESC LIMIT ?1",
        )?;
        let entries: Vec<AuditEntry> = stmt
            .query_map([limit as i64], |r| {
                Ok(AuditEntry {
                    seq: r.get(0)?,
                    id: r.get(1)?,
                    at: r.get(2)?,
                    actor: r.get(3)?,
                    role: r.get(4)?,
                    kind: r.get(5)?,
                    summary: r.get(6)?,
                    state: r.get(7)?,
                    rows: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        entries
            .into_iter()
            .map(|mut e| {
                e.rows = load_rows(self.db(), e.seq)?
                    .into_iter()
                    .map(|(t, id, before, after)| AuditRow {
                        table: t.name().to_owned(),
                        row_id: id,
                        before: before.map(Value::Object),
                        after: after.map(Value::Object),
                    })
                    .collect();
                Ok(e)
            })
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Replay {
    Undo,
    Redo,
}

type RowState = Option<Map<String, Value>>;

#[allow(clippy::too_many_arguments)]
fn insert_change(
    tx: &Connection,
    id: &str,
    at: &str,
    actor: &crate::context::Actor,
    kind: &str,
    summary: &str,
    target: Option<i64>,
    state: &str,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO change (id, at, actor, role, kind, summary, target_seq, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, at, actor.name, actor.role, kind, summary, target, state],
    )?;
    Ok(tx.last_insert_rowid())
}

fn insert_rows(
    tx: &Connection,
    seq: i64,
    rows: &[(Table, String, RowState, RowState)],
) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO change_row (change_seq, ord, tbl, row_id, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (ord, (table, id, before, after)) in rows.iter().enumerate() {
        let before = before.as_ref().map(serde_json::to_string).transpose()?;
        let after = after.as_ref().map(serde_json::to_string).transpose()?;
        stmt.execute(params![seq, ord as i64, table.name(), id, before, after])?;
    }
    Ok(())
}

fn load_rows(conn: &Connection, seq: i64) -> Result<Vec<(Table, String, RowState, RowState)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT tbl, row_id, before, after FROM change_row WHERE change_seq = ?1 ORDER BY ord",
    )?;
    let raw: Vec<(String, String, Option<String>, Option<String>)> = stmt
        .query_map([seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    raw.into_iter()
        .map(|(t, id, b, a)| {
            let table = Table::from_name(&t).ok_or_else(|| Error::Damaged {
                path: Default::default(),
                detail: format!("the audit log names an unknown table {t}"),
            })?;
            let parse = |s: Option<String>| -> Result<RowState> {
                Ok(s.map(|s| serde_json::from_str(&s)).transpose()?)
            };
            Ok((table, id, parse(b)?, parse(a)?))
        })
        .collect()
}

/// The whole row `id` of `table` as a JSON object, or `None` when there is no such row.
pub(crate) fn snapshot(conn: &Connection, table: Table, id: &str) -> Result<RowState> {
    let sql = format!("SELECT * FROM {} WHERE id = ?1", table.name());
    let mut stmt = conn.prepare_cached(&sql)?;
    let names: Vec<String> = stmt.column_names().map(String::from).collect();
    let row = stmt
        .query_row([id], |r| {
            let mut map = Map::new();
            for (i, name) in names.iter().enumerate() {
                map.insert(name.clone(), sql_to_json(r.get_ref(i)?));
            }
            Ok(map)
        })
        .optional()?;
    Ok(row)
}

fn sql_to_json(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
        // No table stores blobs; keep the bytes readable rather than fail the edit.
        ValueRef::Blob(b) => Value::from(b.iter().map(|x| format!("{x:02x}")).collect::<String>()),
    }
}

fn json_to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(*b as i64),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

/// Puts row `id` of `table` into state `wanted` (deleting it when `None`).
fn restore(
    tx: &Connection,
    table: Table,
    id: &str,
    exists: bool,
    wanted: Option<&Map<String, Value>>,
) -> Result<()> {
    let t = table.name();
    match (exists, wanted) {
        (true, None) => {
            tx.execute(&format!("DELETE FROM {t} WHERE id = ?1"), [id])?;
        }
        (false, None) => {}
        (exists, Some(row)) => {
            let cols: Vec<&String> = row.keys().collect();
            let values: Vec<SqlValue> = row.values().map(json_to_sql).collect();
            let sql = if exists {
                let sets: Vec<String> = cols
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("{} = ?{}", quote_ident(c), i + 1))
                    .collect();
                format!(
                    "UPDATE {t} SET {} WHERE id = ?{}",
                    sets.join(", "),
                    cols.len() + 1
                )
            } else {
                let names: Vec<String> = cols.iter().map(|c| quote_ident(c)).collect();
                let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
                format!(
                    "INSERT INTO {t} ({}) VALUES ({})",
                    names.join(", "),
                    marks.join(", ")
                )
            };
            let mut params: Vec<&dyn rusqlite::ToSql> =
                values.iter().map(|v| v as &dyn rusqlite::ToSql).collect();
            let id_value = SqlValue::Text(id.to_owned());
            if exists {
                params.push(&id_value);
            }
            tx.execute(&sql, params.as_slice())?;
        }
    }
    Ok(())
}

/// Column names come from our own snapshots, but quote them anyway so a damaged audit log
/// cannot turn into SQL.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
