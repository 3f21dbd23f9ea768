//! JSON interchange: the whole review as one stable, sorted JSON document, and back.
//!
//! A dump holds the review's content, not its history: every table of [`Table::ALL`] in that
//! order, each row an object with its columns sorted by name and without the file-internal
//! `rid`, rows in a fixed order (the table's natural order, ties kept in the order the rows
//! were made). The audit log is left out. Loading writes the rows back in the same order, so a
//! loaded file dumps to the very same bytes.
//!
//! Columns are read from the schema (`PRAGMA table_info`), so a column added by a later
//! migration is dumped and loaded without changes here; values keep their SQLite types.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::Connection;
use serde_json::{Map, Value};

use crate::change::{ChangeKind, Table};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::review::{Review, SCHEMA_VERSION};

/// The `format` every dump declares.
pub const FORMAT: &str = "threadline-review";

/// The order rows of each table are written in: natural order first, then the order the rows
/// were made (`rid`), which a load preserves.
fn row_order(table: Table) -> &'static str {
    match table {
        Table::Review => "rid",
        Table::Person
        | Table::Agency
        | Table::PanelMember
        | Table::TorItem
        | Table::Source
        | Table::Theme
        | Table::Recommendation => "position, rid",
        Table::Meeting => "date, rid",
        Table::Paragraph => "source_id, seq, rid",
        Table::Excerpt => "source_id, paragraph_id, start, rid",
        Table::ChronologyEntry => "date, seq, rid",
        Table::Finding => "number, rid",
        Table::EvidenceLink => "finding_id, rid",
        Table::FindingTor => "finding_id, rid",
        Table::RecommendationFinding => "recommendation_id, rid",
        Table::Action => "recommendation_id, position, rid",
        Table::ActionUpdate => "action_id, date, rid",
        Table::Section => "document, position, rid",
        Table::Comment => "created_at, rid",
    }
}

/// The columns of `table` that a dump carries (all but `rid`), sorted by name.
fn dump_columns(conn: &Connection, table: Table) -> Result<Vec<String>> {
    let mut cols: Vec<String> = conn
        .prepare(&format!(
            "SELECT name FROM pragma_table_info('{}')",
            table.name()
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    cols.retain(|c| c != "rid");
    cols.sort();
    Ok(cols)
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Writes the whole review as pretty-printed JSON ending in a newline. The same content
/// always gives the same bytes.
pub fn dump(review: &Review) -> Result<String> {
    let value = dump_value(review)?;
    let mut text = serde_json::to_string_pretty(&value)?;
    text.push('\n');
    Ok(text)
}

/// The whole review as a JSON value (see [`dump`]).
pub fn dump_value(review: &Review) -> Result<Value> {
    let conn = review.db();
    // One read transaction, so the dump is one consistent moment of the file.
    let tx = conn.unchecked_transaction()?;
    let mut tables = Map::new();
    for table in Table::ALL {
        let cols = dump_columns(&tx, table)?;
        let list: Vec<String> = cols.iter().map(|c| quote_ident(c)).collect();
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {}",
            list.join(", "),
            table.name(),
            row_order(table)
        );
        let mut stmt = tx.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut obj = Map::new();
            for (i, col) in cols.iter().enumerate() {
                let value = match row.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(n) => Value::from(n),
                    ValueRef::Real(f) => serde_json::Number::from_f64(f)
                        .map(Value::Number)
                        .ok_or_else(|| {
                            Error::invalid(
                                format!("{}.{col}", table.name()),
                                "holds a number JSON cannot write (infinite or not a number)",
                            )
                        })?,
                    ValueRef::Text(t) => Value::from(std::str::from_utf8(t).map_err(|_| {
                        Error::invalid(
                            format!("{}.{col}", table.name()),
                            "holds text that is not valid UTF-8",
                        )
                    })?),
                    ValueRef::Blob(_) => {
                        return Err(Error::invalid(
                            format!("{}.{col}", table.name()),
                            "holds binary data, which a dump cannot carry",
                        ))
                    }
                };
                obj.insert(col.clone(), value);
            }
            out.push(Value::Object(obj));
        }
        tables.insert(table.name().to_owned(), Value::Array(out));
    }
    // Nothing was written; ending the read transaction either way is the same.
    tx.rollback()?;
    let mut root = Map::new();
    root.insert("format".into(), Value::from(FORMAT));
    root.insert("schema_version".into(), Value::from(SCHEMA_VERSION));
    root.insert("tables".into(), Value::Object(tables));
    Ok(Value::Object(root))
}

/// One table's rows from a dump, checked against the schema.
struct TableRows {
    table: Table,
    rows: Vec<Vec<(String, SqlValue)>>,
}

/// The largest dump [`load_file`] reads: a review with every table at its largest expected
/// size is far smaller; anything bigger is refused before it is read.
pub const MAX_DUMP_BYTES: u64 = 512 * 1024 * 1024;

/// [`load`] from the dump file at `dump`, refused unread when it is larger than
/// [`MAX_DUMP_BYTES`] or is not UTF-8 text.
pub fn load_file(dump: &Path, new_path: &Path, ctx: Context) -> Result<Review> {
    load_file_limited(dump, new_path, ctx, MAX_DUMP_BYTES)
}

/// [`load_file`] with a given size limit (tests use a small one).
pub fn load_file_limited(dump: &Path, new_path: &Path, ctx: Context, limit: u64) -> Result<Review> {
    let bytes = crate::import::read_limited(dump, limit)?;
    let json = String::from_utf8(bytes).map_err(|_| Error::BadDocument {
        name: crate::import::file_name(dump),
        reason: "it is not UTF-8 text, so it cannot be a Threadline dump".into(),
    })?;
    load(&json, new_path, ctx)
}

/// Recreates a review from a dump in a new file at `new_path`, which must not exist. All rows
/// go in as one change; on any error no file is left behind.
pub fn load(json: &str, new_path: &Path, ctx: Context) -> Result<Review> {
    if new_path.exists() {
        return Err(Error::AlreadyExists {
            path: new_path.to_owned(),
        });
    }
    let root: Value = serde_json::from_str(json)?;
    let tables = parse_header(&root)?;
    let mut review = match Review::create(new_path, ctx) {
        Ok(review) => review,
        // The path belongs to someone else: touch nothing.
        Err(
            e @ (Error::AlreadyExists { .. }
            | Error::OpenElsewhere { .. }
            | Error::OpenOnAnotherComputer { .. }),
        ) => return Err(e),
        Err(e) => {
            remove_with_sidecars(new_path);
            return Err(e);
        }
    };
    match fill(&mut review, tables) {
        Ok(()) => Ok(review),
        Err(e) => {
            drop(review);
            remove_with_sidecars(new_path);
            Err(e)
        }
    }
}

/// Checks `format` and `schema_version` and returns the `tables` object.
fn parse_header(root: &Value) -> Result<&Map<String, Value>> {
    let obj = root
        .as_object()
        .ok_or_else(|| Error::invalid("dump", "is not a JSON object"))?;
    for key in obj.keys() {
        if !matches!(key.as_str(), "format" | "schema_version" | "tables") {
            return Err(Error::invalid(
                "dump",
                format!("unknown key '{key}' (expected format, schema_version, tables)"),
            ));
        }
    }
    match obj.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(Value::String(f)) => {
            return Err(Error::invalid(
                "format",
                format!("is '{f}', not '{FORMAT}'; this is not a Threadline review dump"),
            ))
        }
        _ => {
            return Err(Error::invalid(
                "format",
                format!("missing; a Threadline review dump says \"format\": \"{FORMAT}\""),
            ))
        }
    }
    let version = obj
        .get("schema_version")
        .and_then(Value::as_i64)
        .ok_or_else(|| Error::invalid("schema_version", "missing or not a whole number"))?;
    if version > SCHEMA_VERSION {
        return Err(Error::NewerVersion {
            path: PathBuf::from("the JSON dump"),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version < 1 {
        return Err(Error::invalid(
            "schema_version",
            format!("{version} is not a schema version (they start at 1)"),
        ));
    }
    obj.get("tables")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::invalid("tables", "missing or not a JSON object"))
}

/// Checks every table, column and value of the dump against the new file's schema.
fn check_tables(conn: &Connection, tables: &Map<String, Value>) -> Result<Vec<TableRows>> {
    for name in tables.keys() {
        if Table::from_name(name).is_none() {
            return Err(Error::invalid(
                format!("tables.{name}"),
                "is not a table of a Threadline review",
            ));
        }
    }
    let mut out = Vec::new();
    for table in Table::ALL {
        let Some(value) = tables.get(table.name()) else {
            continue;
        };
        let name = table.name();
        let list = value
            .as_array()
            .ok_or_else(|| Error::invalid(format!("tables.{name}"), "is not a list of rows"))?;
        let columns = dump_columns(conn, table)?;
        let mut rows = Vec::with_capacity(list.len());
        for (i, row) in list.iter().enumerate() {
            let field = format!("tables.{name}[{i}]");
            let obj = row
                .as_object()
                .ok_or_else(|| Error::invalid(&field, "is not a JSON object"))?;
            let mut values = Vec::with_capacity(obj.len());
            for (col, v) in obj {
                if !columns.contains(col) {
                    return Err(Error::invalid(
                        format!("{field}.{col}"),
                        format!("{name} has no column '{col}'"),
                    ));
                }
                let value = match v {
                    Value::Null => SqlValue::Null,
                    Value::String(s) => SqlValue::Text(s.clone()),
                    Value::Number(n) => match n.as_i64() {
                        Some(i) => SqlValue::Integer(i),
                        None => match n.as_f64() {
                            Some(f) if n.is_f64() => SqlValue::Real(f),
                            _ => {
                                return Err(Error::invalid(
                                    format!("{field}.{col}"),
                                    format!("{n} is out of range"),
                                ))
                            }
                        },
                    },
                    _ => {
                        return Err(Error::invalid(
                            format!("{field}.{col}"),
                            "must be text, a number or null",
                        ))
                    }
                };
                values.push((col.clone(), value));
            }
            if !obj.contains_key("id") {
                return Err(Error::invalid(&field, "has no id"));
            }
            rows.push(values);
        }
        out.push(TableRows { table, rows });
    }
    match out.iter().find(|t| t.table == Table::Review) {
        Some(t) if t.rows.len() == 1 => {}
        Some(t) => {
            return Err(Error::invalid(
                "tables.review",
                format!("must hold exactly one row, not {}", t.rows.len()),
            ))
        }
        None => return Err(Error::invalid("tables.review", "missing")),
    }
    Ok(out)
}

/// Writes the dump's rows into the new file in one change.
fn fill(review: &mut Review, tables: &Map<String, Value>) -> Result<()> {
    let checked = check_tables(review.db(), tables)?;
    review.change_as(ChangeKind::Load, "Load from JSON", false, |c| {
        // Rows may refer to rows later in the dump (a reply before its comment); references
        // are checked once everything is in.
        c.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        // The new file's own details row gives way to the dumped one.
        c.execute("DELETE FROM review", [])?;
        for TableRows { table, rows } in &checked {
            let name = table.name();
            for (i, row) in rows.iter().enumerate() {
                let cols: Vec<String> = row.iter().map(|(c, _)| quote_ident(c)).collect();
                let marks: Vec<String> = (1..=row.len()).map(|n| format!("?{n}")).collect();
                let sql = format!(
                    "INSERT INTO {name} ({}) VALUES ({})",
                    cols.join(", "),
                    marks.join(", ")
                );
                c.prepare_cached(&sql)?
                    .execute(rusqlite::params_from_iter(row.iter().map(|(_, v)| v)))
                    .map_err(|e| row_error(&format!("tables.{name}[{i}]"), e))?;
            }
        }
        // Report broken references here, with a message, rather than as a failed commit.
        let broken: Option<(String, i64, String)> = {
            let mut stmt = c.prepare("PRAGMA foreign_key_check")?;
            let mut rows = stmt.query([])?;
            match rows.next()? {
                Some(r) => Some((r.get(0)?, r.get(1)?, r.get(2)?)),
                None => None,
            }
        };
        if let Some((table, rid, parent)) = broken {
            let id: String = c
                .query_row(
                    &format!("SELECT id FROM {} WHERE rid = ?1", quote_ident(&table)),
                    [rid],
                    |r| r.get(0),
                )
                .unwrap_or_default();
            return Err(Error::invalid(
                format!("tables.{table}"),
                format!("row {id} refers to a {parent} that the dump does not hold"),
            ));
        }
        Ok(())
    })
}

/// Turns a failed insert into a message that names the row.
fn row_error(field: &str, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            let detail = match &e {
                rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
                other => other.to_string(),
            };
            Error::invalid(field, format!("breaks a rule of the schema ({detail})"))
        }
        _ => Error::Storage(e),
    }
}

/// Removes a half-made review file and everything SQLite or the lock left beside it.
fn remove_with_sidecars(path: &Path) {
    let _ = fs::remove_file(path);
    for suffix in ["-wal", "-shm", "-journal", ".lock"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = fs::remove_file(PathBuf::from(name));
    }
}
