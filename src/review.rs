//! The review file: creating, opening, checking and migrating a `*.threadline` SQLite file.
//!
//! One `Review` owns the one connection to the file. Opening refuses anything that is not ours
//! before writing a single byte to it, refuses files from a newer schema, refuses damaged files,
//! and holds an OS lock on a sidecar `.lock` file so that a second process is told at once that
//! the review is open elsewhere (the OS drops the lock when a process dies, so a crash never
//! leaves the review locked).

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::context::{Actor, Clock, Context, Ids};
use crate::crypto::{self, FileKind, Passphrase};
use crate::error::{Error, Result};

/// Audit summaries that end with the name of what they touched (see `src/model`).
const NAMING_SUMMARIES: &[&str] = &[
    "Edit section ",
    "Delete section ",
    "Delete source ",
    "Delete panel member ",
    "Delete agency ",
    "Delete theme ",
];

/// What [`Review::compact`] did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CompactReport {
    /// The file and its WAL, in bytes, before and after.
    #[ts(type = "number")]
    pub bytes_before: u64,
    #[ts(type = "number")]
    pub bytes_after: u64,
    /// Changes that can no longer be undone or redone.
    #[ts(type = "number")]
    pub changes_sealed: u64,
    /// Saved row states dropped from the undo history.
    #[ts(type = "number")]
    pub states_dropped: u64,
    /// Audit log summaries that named someone no longer in the register, or a heading or title
    /// no longer in the review.
    #[ts(type = "number")]
    pub summaries_redacted: u64,
    /// Issued drafts whose frozen text named someone no longer in the register; the name is
    /// replaced by "[name removed]" in them too.
    #[ts(type = "number")]
    pub drafts_redacted: u64,
    /// Snapshots beside the review that were deleted because they hold the old names (one
    /// new snapshot of the compacted review takes their place).
    #[ts(type = "number")]
    pub backups_removed: u64,
}

/// `PRAGMA application_id` of every Threadline file: "THLN".
pub const APPLICATION_ID: i32 = 0x5448_4C4E;

/// The schema migrations, in order. Version N of the schema is the first N of these applied.
/// Shipped files are never edited; a change is a new file.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_documents.sql"),
    include_str!("../migrations/0003_publication.sql"),
    include_str!("../migrations/0004_drafts.sql"),
    include_str!("../migrations/0005_comments.sql"),
];

/// The newest schema version this build reads and writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Files up to this size get SQLite's full `quick_check` before `open` returns. Larger ones are
/// checked on a second, read-only connection in the background, so opening stays quick; their
/// first write waits for the verdict, and a damaged file then refuses every write.
pub const FULL_CHECK_AT_OPEN_BYTES: u64 = 32 * 1024 * 1024;

/// What is known about the file's soundness.
enum Health {
    Sound,
    /// The background check is still running.
    Checking(Checker),
    Damaged(String),
}

/// The background check of a large file. Dropping it (the review closes first) interrupts the
/// check, so no thread goes on reading a file nobody has open.
struct Checker {
    handle: Option<std::thread::JoinHandle<std::result::Result<(), String>>>,
    interrupt: rusqlite::InterruptHandle,
}

impl Checker {
    fn start(path: &Path, key: Option<&Passphrase>) -> Result<Checker> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(path, e))?;
        if let Some(key) = key {
            crypto::apply_key(&conn, key)?;
        }
        let interrupt = conn.get_interrupt_handle();
        let checked = path.to_owned();
        let handle = std::thread::Builder::new()
            .name("threadline-check".into())
            .spawn(move || match quick_check(&conn, &checked) {
                Ok(()) => Ok(()),
                Err(Error::Damaged { detail, .. }) => Err(detail),
                Err(other) => Err(other.to_string()),
            })
            .map_err(|e| Error::io("cannot start the file check", e))?;
        Ok(Checker {
            handle: Some(handle),
            interrupt,
        })
    }

    fn is_finished(&self) -> bool {
        self.handle.as_ref().is_none_or(|h| h.is_finished())
    }

    /// Waits for the verdict.
    fn verdict(mut self) -> std::result::Result<(), String> {
        match self.handle.take().map(|h| h.join()) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err("the soundness check stopped unexpectedly".into()),
            None => Ok(()),
        }
    }
}

impl Drop for Checker {
    fn drop(&mut self) {
        if self.handle.is_some() {
            self.interrupt.interrupt();
        }
    }
}

/// One open review file.
pub struct Review {
    pub(crate) conn: Connection,
    path: PathBuf,
    /// The writer's lock; `None` for a review opened read-only.
    _lock: Option<FileLock>,
    health: Health,
    /// The passphrase of a protected file; `None` for an unprotected one.
    pub(crate) key: Option<Passphrase>,
    pub(crate) actor: Actor,
    pub(crate) clock: Box<dyn Clock>,
    pub(crate) ids: Box<dyn Ids>,
}

impl std::fmt::Debug for Review {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Review").field("path", &self.path).finish()
    }
}

impl Review {
    /// Creates a new, empty review file at `path`, which must not exist yet.
    pub fn create(path: &Path, ctx: Context) -> Result<Review> {
        if path.exists() {
            return Err(Error::AlreadyExists {
                path: path.to_owned(),
            });
        }
        let lock = FileLock::acquire(path, ctx.take_over_lock)?;
        let key = ctx.passphrase;
        let result = (|| {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            // The key comes first: every page written after it is encrypted.
            if let Some(key) = &key {
                crypto::apply_key(&conn, key)?;
            }
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
            set_pragmas(&conn)?;
            migrate(&conn, 0)?;
            Ok::<_, Error>(conn)
        })();
        let conn = match result {
            Ok(conn) => conn,
            Err(e) => {
                // Leave nothing half-made behind.
                let _ = fs::remove_file(path);
                return Err(e);
            }
        };
        let mut review = Review {
            conn,
            path: path.to_owned(),
            _lock: Some(lock),
            health: Health::Sound,
            key,
            actor: ctx.actor,
            clock: ctx.clock,
            ids: ctx.ids,
        };
        review.init_details()?;
        Ok(review)
    }

    /// Opens an existing review file, migrating it if it was made by an older version.
    pub fn open(path: &Path, ctx: Context) -> Result<Review> {
        Review::open_with_check_limit(path, ctx, FULL_CHECK_AT_OPEN_BYTES)
    }

    /// [`Review::open`], checking files larger than `limit` bytes in the background.
    pub fn open_with_check_limit(path: &Path, ctx: Context, limit: u64) -> Result<Review> {
        Review::open_mode(path, ctx, limit, false)
    }

    /// Opens a review to read only, without the writer's lock: for a review open in another
    /// window or on another computer. Every change is refused with [`Error::ReadOnly`];
    /// what the other copy saves shows up on the next read. A file that needs updating to
    /// this version's schema cannot be opened this way (updating writes).
    pub fn open_read_only(path: &Path, ctx: Context) -> Result<Review> {
        Review::open_mode(path, ctx, FULL_CHECK_AT_OPEN_BYTES, true)
    }

    fn open_mode(path: &Path, ctx: Context, limit: u64, read_only: bool) -> Result<Review> {
        let meta = fs::metadata(path)
            .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
        if !meta.is_file() {
            return Err(not_ours(path, "it is a folder, not a file"));
        }
        let key = match crypto::file_kind(path)? {
            FileKind::Plain => None,
            FileKind::Encrypted => match ctx.passphrase {
                Some(key) => Some(key),
                None => {
                    return Err(Error::PassphraseNeeded {
                        path: path.to_owned(),
                    })
                }
            },
            FileKind::Other(reason) => return Err(not_ours(path, reason)),
        };
        let (lock, flags) = if read_only {
            (None, OpenFlags::SQLITE_OPEN_READ_ONLY)
        } else {
            let lock = FileLock::acquire(path, ctx.take_over_lock)?;
            (Some(lock), OpenFlags::SQLITE_OPEN_READ_WRITE)
        };
        let conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| classify(path, e))?;
        if let Some(key) = &key {
            crypto::apply_key(&conn, key)?;
            crypto::check_key(&conn)?;
        }
        // Read-only checks first: nothing is written to a file until we know it is ours.
        conn.pragma_update(None, "trusted_schema", "OFF")
            .map_err(|e| classify(path, e))?;
        let app_id: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|e| classify(path, e))?;
        if app_id != APPLICATION_ID {
            return Err(not_ours(
                path,
                "it is a SQLite database made by another program",
            ));
        }
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| classify(path, e))?;
        if version > SCHEMA_VERSION {
            return Err(Error::NewerVersion {
                path: path.to_owned(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if read_only && version < SCHEMA_VERSION {
            return Err(Error::invalid(
                "file",
                "this review was saved by an older version of Threadline and must be updated, \
                 which needs it opened normally; close it where it is open, then open it here",
            ));
        }
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let size = meta.len() + fs::metadata(wal).map_or(0, |m| m.len());
        // A migration writes, so it never starts before the whole file is known to be sound.
        let health = if size <= limit || version < SCHEMA_VERSION {
            quick_check(&conn, path)?;
            Health::Sound
        } else {
            Health::Checking(Checker::start(path, key.as_ref())?)
        };
        if read_only {
            set_reading_pragmas(&conn).map_err(|e| classify(path, e))?;
        } else {
            set_pragmas(&conn).map_err(|e| classify(path, e))?;
        }
        if version < SCHEMA_VERSION {
            migrate(&conn, version)?;
        }
        Ok(Review {
            conn,
            path: path.to_owned(),
            _lock: lock,
            health,
            key,
            actor: ctx.actor,
            clock: ctx.clock,
            ids: ctx.ids,
        })
    }

    /// True when the review was opened with [`Review::open_read_only`].
    pub fn is_read_only(&self) -> bool {
        self._lock.is_none()
    }

    /// True when the file is protected with a passphrase.
    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// Swaps the connection for one on the file now at the review's path (after a rewrite
    /// renamed a new file into place). The old connection is closed first.
    pub(crate) fn replace_connection(
        &mut self,
        swap: impl FnOnce(&Path) -> Result<()>,
        key: Option<Passphrase>,
    ) -> Result<()> {
        self.ensure_sound()?;
        let old = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        old.close().map_err(|(_, e)| Error::Storage(e))?;
        let swapped = swap(&self.path);
        // Whether or not the swap worked, reconnect to what is at the path now.
        let now_key = if swapped.is_ok() {
            key
        } else {
            self.key.clone()
        };
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(&self.path, e))?;
        if let Some(k) = &now_key {
            crypto::apply_key(&conn, k)?;
            crypto::check_key(&conn)?;
        }
        set_pragmas(&conn).map_err(|e| classify(&self.path, e))?;
        self.conn = conn;
        self.key = now_key;
        swapped
    }

    /// True while the background soundness check of a large file is still running.
    pub fn is_checking(&self) -> bool {
        matches!(&self.health, Health::Checking(c) if !c.is_finished())
    }

    /// Waits for the soundness check if it is still running; fails with `Damaged` if the file
    /// is damaged. Every write calls this first.
    pub fn ensure_sound(&mut self) -> Result<()> {
        if self.is_read_only() {
            return Err(Error::ReadOnly);
        }
        if let Health::Checking(_) = self.health {
            let Health::Checking(checker) = std::mem::replace(&mut self.health, Health::Sound)
            else {
                unreachable!("matched above")
            };
            self.health = match checker.verdict() {
                Ok(()) => Health::Sound,
                Err(detail) => Health::Damaged(detail),
            };
        }
        match &self.health {
            Health::Damaged(detail) => Err(Error::Damaged {
                path: self.path.clone(),
                detail: detail.clone(),
            }),
            _ => Ok(()),
        }
    }

    /// The file this review lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The person and role recorded in the audit log for this session's edits.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Changes who is recorded as making the next edits.
    pub fn set_actor(&mut self, actor: Actor) {
        self.actor = actor;
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Runs SQLite's full integrity check; `Ok(())` when the file is sound.
    pub fn integrity_check(&self) -> Result<()> {
        let rows: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if rows.len() == 1 && rows[0] == "ok" {
            Ok(())
        } else {
            Err(Error::Damaged {
                path: self.path.clone(),
                detail: rows.join("; "),
            })
        }
    }

    /// Writes the WAL back into the main file and closes it.
    pub fn close(self) -> Result<()> {
        if !self.is_read_only() {
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        self.conn.close().map_err(|(_, e)| Error::Storage(e))
    }

    /// Leaves no trace of deleted or replaced text in the file or its WAL: the undo history
    /// is sealed and its saved row states dropped (they hold old text, old names), names that
    /// have left the register are taken out of the audit log's summaries, the search index is
    /// set to secure-delete and rewritten, the file is rebuilt (`VACUUM`), and the WAL is
    /// written back and truncated. What was done before can no longer be undone.
    pub fn compact(&mut self) -> Result<CompactReport> {
        self.ensure_sound()?;
        let bytes_before = self.file_bytes();
        let current: std::collections::HashSet<String> = self
            .people()?
            .iter()
            .flat_map(|p| std::iter::once(&p.real_name).chain(p.aliases.iter()))
            .map(|n| crate::publication::fold(n))
            .collect();
        let tx = self.conn.transaction()?;
        let mut former: Vec<String> = Vec::new();
        {
            let mut stmt =
                tx.prepare("SELECT before, after FROM change_row WHERE tbl = 'person'")?;
            let states = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<String>>(1)?,
                ))
            })?;
            for state in states {
                let (before, after) = state?;
                for json in [before, after].into_iter().flatten() {
                    let Ok(row) = serde_json::from_str::<serde_json::Value>(&json) else {
                        continue;
                    };
                    let mut names: Vec<String> = Vec::new();
                    if let Some(n) = row.get("real_name").and_then(|v| v.as_str()) {
                        names.push(n.to_owned());
                    }
                    if let Some(list) = row.get("aliases").and_then(|v| v.as_str()) {
                        names.extend(crate::model::from_json_list(list));
                    }
                    for n in names {
                        let n = n.trim().to_owned();
                        if !n.is_empty()
                            && !current.contains(&crate::publication::fold(&n))
                            && !former.contains(&n)
                        {
                            former.push(n);
                        }
                    }
                }
            }
        }
        let sealed = tx.execute("UPDATE change SET state = 'fixed' WHERE state = 'done'", [])?
            + tx.execute(
                "UPDATE change SET state = 'dropped' WHERE state = 'undone'",
                [],
            )?;
        let states_dropped = tx.execute("DELETE FROM change_row", [])?;
        // Summaries name what an edit touched ("Edit section "…""); where that name is no
        // longer current (a heading rewritten, a source deleted) it goes, the verb stays.
        let mut current_names: std::collections::HashSet<String> = std::collections::HashSet::new();
        for sql in [
            "SELECT heading FROM section",
            "SELECT title FROM source",
            "SELECT name FROM panel_member",
            "SELECT name FROM agency",
            "SELECT title FROM theme",
        ] {
            let names: Vec<String> = tx
                .prepare(sql)?
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<_>>()?;
            current_names.extend(names);
        }
        let mut summaries_redacted = 0;
        let mut drafts_redacted = 0;
        {
            let rows: Vec<(i64, String)> = tx
                .prepare("SELECT seq, summary FROM change")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (seq, summary) in rows {
                let Some(prefix) = NAMING_SUMMARIES.iter().find(|p| summary.starts_with(**p))
                else {
                    continue;
                };
                let named = summary[prefix.len()..].trim_matches(|c| c == '"' || c == '\'');
                if !current_names.contains(named) {
                    tx.execute(
                        "UPDATE change SET summary = ?2 WHERE seq = ?1",
                        rusqlite::params![seq, prefix.trim_end()],
                    )?;
                    summaries_redacted += 1;
                }
            }
        }
        if !former.is_empty() {
            let redactor = crate::publication::Pseudonymiser::new(
                &former
                    .iter()
                    .enumerate()
                    .map(|(i, name)| crate::model::people::Person {
                        id: format!("former-{i}"),
                        category: crate::model::people::PersonCategory::Person,
                        real_name: name.clone(),
                        aliases: Vec::new(),
                        pseudonym: "[name removed]".to_owned(),
                        role: String::new(),
                        relation: String::new(),
                        safe_to_name: false,
                    })
                    .collect::<Vec<_>>(),
            )?;
            let rows: Vec<(i64, String)> = tx
                .prepare("SELECT seq, summary FROM change")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (seq, summary) in rows {
                let redacted = redactor.apply(&summary);
                if redacted != summary {
                    tx.execute(
                        "UPDATE change SET summary = ?2 WHERE seq = ?1",
                        rusqlite::params![seq, redacted],
                    )?;
                    summaries_redacted += 1;
                }
            }
            drafts_redacted = crate::drafts::redact_drafts(&tx, &redactor)?;
        }
        // FTS5 keeps deleted words in its segments until they are merged; secure-delete (on
        // from now on) removes them at once, and 'optimize' rewrites what is there.
        tx.execute(
            "INSERT INTO search_index(search_index, rank) VALUES ('secure-delete', 1)",
            [],
        )?;
        tx.execute(
            "INSERT INTO search_index(search_index) VALUES ('optimize')",
            [],
        )?;
        tx.commit()?;
        self.conn.execute_batch("VACUUM")?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        // Earlier snapshots still hold the old names: one of the compacted review replaces them.
        let old_backups = crate::backup::list_snapshots(&self.backups_dir())?;
        self.snapshot("compact")?;
        for s in &old_backups {
            crate::backup::remove_db_files(Path::new(&s.path));
        }
        Ok(CompactReport {
            bytes_before,
            bytes_after: self.file_bytes(),
            changes_sealed: sealed as u64,
            states_dropped: states_dropped as u64,
            summaries_redacted,
            drafts_redacted,
            backups_removed: old_backups.len() as u64,
        })
    }

    /// The size of the file and its WAL.
    fn file_bytes(&self) -> u64 {
        let mut wal = self.path.as_os_str().to_owned();
        wal.push("-wal");
        fs::metadata(&self.path).map_or(0, |m| m.len()) + fs::metadata(wal).map_or(0, |m| m.len())
    }

    /// Read access for the core's own queries.
    pub(crate) fn db(&self) -> &Connection {
        &self.conn
    }

    /// A fresh record id.
    pub(crate) fn new_id(&mut self) -> String {
        self.ids.next_id().to_string()
    }
}

fn not_ours(path: &Path, reason: &str) -> Error {
    Error::NotThreadline {
        path: path.to_owned(),
        reason: reason.to_owned(),
    }
}

/// Turns SQLite's complaints about a file into the error a user understands.
pub(crate) fn classify(path: &Path, e: rusqlite::Error) -> Error {
    use rusqlite::ffi::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => not_ours(path, "it is not a SQLite database"),
        Some(ErrorCode::DatabaseCorrupt) => Error::Damaged {
            path: path.to_owned(),
            detail: e.to_string(),
        },
        _ => Error::Storage(e),
    }
}

fn quick_check(conn: &Connection, path: &Path) -> Result<()> {
    let mut stmt = conn
        .prepare("PRAGMA quick_check(20)")
        .map_err(|e| classify(path, e))?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| match classify(path, e) {
            Error::Storage(e) => Error::Damaged {
                path: path.to_owned(),
                detail: e.to_string(),
            },
            other => other,
        })?;
    if rows.len() == 1 && rows[0] == "ok" {
        Ok(())
    } else {
        Err(Error::Damaged {
            path: path.to_owned(),
            detail: rows.join("; "),
        })
    }
}

pub(crate) fn set_pragmas(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_millis(500))?;
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    debug_assert_eq!(mode.to_lowercase(), "wal");
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

/// The settings of a read-only connection: nothing that writes (the journal mode is the
/// writer's business).
fn set_reading_pragmas(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_millis(500))?;
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    conn.pragma_update(None, "query_only", "ON")?;
    Ok(())
}

/// Applies every migration after `from`, all in one transaction with the version bump.
pub(crate) fn migrate(conn: &Connection, from: i64) -> Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| {
        for sql in &MIGRATIONS[from as usize..] {
            conn.execute_batch(sql)?;
        }
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok::<_, rusqlite::Error>(())
    })();
    match result {
        Ok(()) => {
            conn.execute_batch("COMMIT")?;
            Ok(())
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e.into())
        }
    }
}

/// An exclusive OS lock on `<review>.lock`, held while the review is open. The file also says
/// who holds it (`host=`, `pid=`, `since=` lines), so a second opener can be told where the
/// review is open, and so a lock that a shared drive does not pass between computers is still
/// noticed: a lock file written on another computer that was never removed means the review is
/// open there now, or was when that computer stopped.
#[derive(Debug)]
struct FileLock {
    file: File,
    path: PathBuf,
}

/// Who holds a lock, as its lock file says.
#[derive(Debug, Default, PartialEq)]
struct Holder {
    host: Option<String>,
    pid: Option<String>,
    since: Option<String>,
}

impl Holder {
    fn read(text: &str) -> Holder {
        let field = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(key))
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Holder {
            host: field("host="),
            pid: field("pid="),
            since: field("since="),
        }
    }

    /// " (process 1234 on LAPTOP-7, since 2026-12-04 09:12 UTC)", or "" when nothing is known.
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(pid) = &self.pid {
            parts.push(format!("process {pid}"));
        }
        if let Some(host) = &self.host {
            parts.push(format!("on {host}"));
        }
        let mut text = parts.join(" ");
        if let Some(since) = &self.since {
            let since = chrono::DateTime::parse_from_rfc3339(since)
                .map(|t| {
                    t.with_timezone(&chrono::Utc)
                        .format("%Y-%m-%d %H:%M UTC")
                        .to_string()
                })
                .unwrap_or_else(|_| since.clone());
            text = if text.is_empty() {
                format!("since {since}")
            } else {
                format!("{text}, since {since}")
            };
        }
        if text.is_empty() {
            text
        } else {
            format!(" ({text})")
        }
    }
}

/// This computer's name, as other computers sharing a drive would see it in a lock file.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "this computer".to_owned())
}

impl FileLock {
    /// Takes the lock. `take_over` opens even when the lock file says the review is open on
    /// another computer (the person has checked that it is not: that computer crashed).
    fn acquire(review: &Path, take_over: bool) -> Result<FileLock> {
        let mut name = review.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        let elsewhere = |holder: &Holder| Error::OpenElsewhere {
            path: review.to_owned(),
            holder: holder.describe(),
        };
        // A lock file another process is about to delete can be locked after it is unlinked;
        // we then notice the path names another file and try again.
        for _ in 0..5 {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| {
                    Error::io(format!("cannot create the lock file {}", path.display()), e)
                })?;
            let mut text = String::new();
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    let _ = file.read_to_string(&mut text);
                    return Err(elsewhere(&Holder::read(&text)));
                }
                Err(fs::TryLockError::Error(e)) => {
                    return Err(Error::io(format!("cannot lock {}", path.display()), e))
                }
            }
            if !same_file(&file, &path) {
                continue;
            }
            let _ = file.read_to_string(&mut text);
            let holder = Holder::read(&text);
            let here = host_name();
            // Left by a process on this computer: the OS released its lock when it ended, so
            // the file is stale and ours to take. Left by another computer: it may still have
            // the review open (a shared drive need not pass locks on), so only on request.
            if holder.host.as_ref().is_some_and(|h| *h != here) && !take_over {
                let _ = file.unlock();
                return Err(Error::OpenOnAnotherComputer {
                    path: review.to_owned(),
                    holder: holder.describe(),
                });
            }
            let _ = file.set_len(0);
            let _ = file.seek(std::io::SeekFrom::Start(0));
            let _ = write!(
                file,
                "host={here}\npid={}\nsince={}\n",
                std::process::id(),
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            );
            let _ = file.sync_all();
            return Ok(FileLock { file, path });
        }
        Err(elsewhere(&Holder::default()))
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // Unlink while still holding the lock, so no one else can lock the name we remove.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Used by `details` to tell whether the single review row exists yet.
pub(crate) fn review_row_id(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT id FROM review LIMIT 1", [], |r| r.get(0))
        .optional()?)
}
