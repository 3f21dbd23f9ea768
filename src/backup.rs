//! Snapshots: whole copies of a review kept beside it, in `<name>.backups/`.
//!
//! A snapshot is written with `sqlcipher_export` into a new file (encrypted with the review's
//! own passphrase when the review is protected, so a backup never holds plain text the review
//! hides), synced to disk, then opened again and checked (`integrity_check`, application id,
//! schema version) before it counts. One is taken before every import, when the app's timer
//! finds [`Review::snapshot_due`], and before a restore.
//!
//! File names carry what a listing needs without opening (and so without unlocking) each
//! file: `20260301T090000Z-import-c42.threadline` is a snapshot taken at that UTC time, for
//! that reason, when the newest audit change was number 42.
//!
//! Retention: after each snapshot, the newest 20 are kept, and of the older ones the newest of
//! each day for the last 30 days; the rest are deleted.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use rusqlite::{Connection, OpenFlags};

use crate::crypto::{self, Passphrase};
use crate::error::{Error, Result};
use crate::review::{self, Review, APPLICATION_ID, SCHEMA_VERSION};

/// How many of the newest snapshots are always kept.
pub const KEEP_LATEST: usize = 20;
/// For how many days one snapshot per day is kept beyond the newest [`KEEP_LATEST`].
pub const KEEP_DAILY_DAYS: i64 = 30;

/// One snapshot of a review, as listed by [`Review::snapshots`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SnapshotInfo {
    /// The snapshot file.
    pub path: String,
    /// When it was taken.
    pub taken_at: DateTime<Utc>,
    /// Why: "import", "timer", "before-restore", "manual"…
    pub reason: String,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
    /// The number of the newest audit change it holds.
    #[ts(type = "number")]
    pub change_seq: i64,
    /// How many audit changes the review has had since (0 when none, or when the review was
    /// restored to something older).
    #[ts(type = "number")]
    pub changes_since: u64,
}

/// What [`Review::verify`] found in a sound file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct VerifyReport {
    #[ts(type = "number")]
    pub schema_version: i64,
    pub encrypted: bool,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// Copies the whole database behind `conn` into a new file `dest` (which must not exist),
/// encrypted with `key` or plain when `key` is `None`; syncs it to disk and checks it. The
/// application id and schema version go with it. On any failure nothing is left at `dest`.
pub fn copy_database(conn: &Connection, dest: &Path, key: Option<&Passphrase>) -> Result<()> {
    // The empty file is made here, not by SQLite: connections opened without the create
    // flag cannot attach a file that does not exist, and `create_new` refuses to overwrite.
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dest)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::AlreadyExists {
                path: dest.to_owned(),
            },
            _ => Error::io(format!("cannot create {}", dest.display()), e),
        })?;
    let result = (|| {
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let path = dest.to_str().ok_or_else(|| {
            Error::invalid("path", format!("{} is not a valid path", dest.display()))
        })?;
        conn.execute(
            "ATTACH DATABASE ?1 AS threadline_copy KEY ?2",
            rusqlite::params![path, key.map_or("", |k| k.as_str())],
        )?;
        let copied = (|| {
            // The copy counts only once it is synced and checked, so writing it needs no
            // journal and no syncs of its own.
            conn.pragma_update_and_check(Some("threadline_copy"), "journal_mode", "OFF", |_| {
                Ok(())
            })?;
            conn.pragma_update(Some("threadline_copy"), "synchronous", "OFF")?;
            conn.query_row("SELECT sqlcipher_export('threadline_copy')", [], |_| Ok(()))?;
            conn.pragma_update(Some("threadline_copy"), "application_id", APPLICATION_ID)?;
            conn.pragma_update(Some("threadline_copy"), "user_version", version)?;
            Ok::<_, Error>(())
        })();
        let detached = conn.execute("DETACH DATABASE threadline_copy", []);
        copied?;
        detached?;
        sync_file(dest)?;
        if let Some(dir) = dest.parent() {
            sync_dir(dir)?;
        }
        let check = verify_file(dest, key)?;
        if check.schema_version != version {
            return Err(Error::Damaged {
                path: dest.to_owned(),
                detail: "the copy's schema version differs from the original's".into(),
            });
        }
        Ok(())
    })();
    if result.is_err() {
        remove_db_files(dest);
    }
    result
}

/// Opens `path` read-only and checks it: full `integrity_check`, Threadline's application id
/// and a schema version this build can read.
pub fn verify_file(path: &Path, key: Option<&Passphrase>) -> Result<VerifyReport> {
    let bytes = fs::metadata(path)
        .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?
        .len();
    let encrypted = match crypto::file_kind(path)? {
        crypto::FileKind::Plain => false,
        crypto::FileKind::Encrypted => {
            if key.is_none() {
                return Err(Error::PassphraseNeeded {
                    path: path.to_owned(),
                });
            }
            true
        }
        crypto::FileKind::Other(reason) => {
            return Err(Error::NotThreadline {
                path: path.to_owned(),
                reason: reason.to_owned(),
            })
        }
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| review::classify(path, e))?;
    if encrypted {
        if let Some(key) = key {
            crypto::apply_key(&conn, key)?;
            crypto::check_key(&conn)?;
        }
    }
    let damaged = |detail: String| Error::Damaged {
        path: path.to_owned(),
        detail,
    };
    let rows: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| match review::classify(path, e) {
            Error::Storage(e) => damaged(e.to_string()),
            other => other,
        })?;
    if rows.len() != 1 || rows[0] != "ok" {
        return Err(damaged(rows.join("; ")));
    }
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        return Err(Error::NotThreadline {
            path: path.to_owned(),
            reason: "it is a SQLite database made by another program".into(),
        });
    }
    let schema_version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if schema_version > SCHEMA_VERSION {
        return Err(Error::NewerVersion {
            path: path.to_owned(),
            found: schema_version,
            supported: SCHEMA_VERSION,
        });
    }
    if schema_version < 1 {
        return Err(damaged("it has no schema".into()));
    }
    Ok(VerifyReport {
        schema_version,
        encrypted,
        bytes,
    })
}

impl Review {
    /// Checks a review file without opening it for editing (see [`verify_file`]).
    pub fn verify(path: &Path, key: Option<&Passphrase>) -> Result<VerifyReport> {
        verify_file(path, key)
    }

    /// Writes a checked copy of the review to `dest` (which must not exist), protected with
    /// the review's passphrase when it has one.
    pub fn backup_to(&mut self, dest: &Path) -> Result<()> {
        self.ensure_sound()?;
        copy_database(&self.conn, dest, self.key.as_ref())
    }

    /// The folder beside the review that holds its snapshots.
    pub fn backups_dir(&self) -> PathBuf {
        backups_dir(self.path())
    }

    /// Takes a snapshot now, for `reason` (letters, digits and dashes are kept), then applies
    /// the retention rule.
    pub fn snapshot(&mut self, reason: &str) -> Result<SnapshotInfo> {
        self.ensure_sound()?;
        let reason = clean_reason(reason);
        let dir = self.backups_dir();
        fs::create_dir_all(&dir)
            .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
        let now = self.clock.now();
        let seq = self.last_change_seq()?;
        let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
        let mut dest = dir.join(format!("{stamp}-{reason}-c{seq}.threadline"));
        let mut n = 2;
        while dest.exists() {
            dest = dir.join(format!("{stamp}-{reason}-c{seq}-{n}.threadline"));
            n += 1;
        }
        copy_database(&self.conn, &dest, self.key.as_ref())?;
        self.prune_snapshots()?;
        let bytes = fs::metadata(&dest).map_or(0, |m| m.len());
        Ok(SnapshotInfo {
            path: dest.to_string_lossy().into_owned(),
            taken_at: parse_stamp(&stamp).unwrap_or(now),
            reason,
            bytes,
            change_seq: seq,
            changes_since: 0,
        })
    }

    /// The snapshots of this review, newest first.
    pub fn snapshots(&self) -> Result<Vec<SnapshotInfo>> {
        let current = self.last_change_seq()?;
        let mut list = list_snapshots(&self.backups_dir())?;
        for s in &mut list {
            s.changes_since = current.saturating_sub(s.change_seq).max(0) as u64;
        }
        Ok(list)
    }

    /// True when the review has changed since its newest snapshot and that snapshot is at
    /// least `minutes` old (or there is none): the app's timer then calls `snapshot("timer")`.
    pub fn snapshot_due(&self, minutes: i64) -> Result<bool> {
        let current = self.last_change_seq()?;
        Ok(match list_snapshots(&self.backups_dir())?.first() {
            None => current > 0,
            Some(newest) => {
                current != newest.change_seq
                    && self.clock.now() - newest.taken_at >= Duration::minutes(minutes)
            }
        })
    }

    /// Replaces the review's content with the snapshot at `snapshot`, after taking a snapshot
    /// of the current state ("before-restore"). The snapshot must be one of this review's,
    /// readable with the review's passphrase, and sound; otherwise nothing changes.
    pub fn restore(&mut self, snapshot: &Path) -> Result<SnapshotInfo> {
        self.ensure_sound()?;
        let dir = self.backups_dir();
        let inside = snapshot
            .parent()
            .and_then(|p| p.canonicalize().ok())
            .zip(dir.canonicalize().ok())
            .is_some_and(|(a, b)| a == b);
        if !inside || parse_name(snapshot).is_none() {
            return Err(Error::invalid(
                "snapshot",
                format!("{} is not a snapshot of this review", snapshot.display()),
            ));
        }
        verify_file(snapshot, self.key.as_ref())?;
        let kept = self.snapshot("before-restore")?;
        let tmp = temp_beside(self.path(), "restore");
        remove_db_files(&tmp);
        let result = (|| {
            let source = Connection::open_with_flags(
                snapshot,
                // Read-write only so the copy can be attached; the snapshot is only read.
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            if let Some(key) = &self.key {
                crypto::apply_key(&source, key)?;
                crypto::check_key(&source)?;
            }
            copy_database(&source, &tmp, self.key.as_ref())?;
            drop(source);
            let key = self.key.clone();
            self.replace_connection(|path| rename_into_place(&tmp, path), key)?;
            let version: i64 = self
                .conn
                .pragma_query_value(None, "user_version", |r| r.get(0))?;
            if version < SCHEMA_VERSION {
                review::migrate(&self.conn, version)?;
            }
            Ok(())
        })();
        remove_db_files(&tmp);
        result.map(|()| kept)
    }

    /// Lets the file grow by at most `pages` more pages in this session (`PRAGMA
    /// max_page_count`), so tests can meet a full disk without filling one. Returns the cap.
    #[doc(hidden)]
    pub fn limit_file_growth(&self, pages: i64) -> Result<i64> {
        let now: i64 = self
            .conn
            .pragma_query_value(None, "page_count", |r| r.get(0))?;
        Ok(self
            .conn
            .pragma_update_and_check(None, "max_page_count", now + pages, |r| r.get(0))?)
    }

    /// The number of the newest audit change (0 for a review never edited).
    fn last_change_seq(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(seq), 0) FROM change", [], |r| r.get(0))?)
    }

    /// Deletes snapshots the retention rule no longer keeps.
    fn prune_snapshots(&self) -> Result<()> {
        let list = list_snapshots(&self.backups_dir())?;
        let now = self.clock.now();
        for s in drop_by_retention(&list, now) {
            remove_db_files(Path::new(&s.path));
        }
        Ok(())
    }

    /// Rewrites every snapshot with `new` as its key (or plain for `None`), so that backups
    /// follow the review's protection: after protecting a review none stays readable without
    /// the passphrase, and after a change none opens with the old one.
    pub(crate) fn rekey_snapshots(
        &self,
        old: Option<&Passphrase>,
        new: Option<&Passphrase>,
    ) -> Result<()> {
        for s in list_snapshots(&self.backups_dir())? {
            let path = PathBuf::from(&s.path);
            let tmp = temp_beside(&path, "rekey");
            remove_db_files(&tmp);
            let result = (|| {
                let source = Connection::open_with_flags(
                    &path,
                    // Read-write, because a database attached to a read-only connection is
                    // read-only too; the source itself is only read.
                    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                if let Some(key) = old {
                    if crypto::file_kind(&path)? == crypto::FileKind::Encrypted {
                        crypto::apply_key(&source, key)?;
                    }
                }
                crypto::check_key(&source)?;
                copy_database(&source, &tmp, new)?;
                drop(source);
                rename_into_place(&tmp, &path)
            })();
            if result.is_err() {
                remove_db_files(&tmp);
                // A snapshot that cannot follow the new protection must not stay behind in
                // the old one (plain text beside a protected review).
                remove_db_files(&path);
            }
        }
        Ok(())
    }
}

/// Of `list` (newest first), the snapshots the retention rule drops at `now`.
pub fn drop_by_retention(list: &[SnapshotInfo], now: DateTime<Utc>) -> Vec<SnapshotInfo> {
    let mut days_seen = std::collections::HashSet::new();
    let mut dropped = Vec::new();
    for (i, s) in list.iter().enumerate() {
        let day = s.taken_at.date_naive();
        let first_of_day = days_seen.insert(day);
        let recent = now - s.taken_at <= Duration::days(KEEP_DAILY_DAYS);
        if i < KEEP_LATEST || (first_of_day && recent) {
            continue;
        }
        dropped.push(s.clone());
    }
    dropped
}

/// `<dir>/<stem>.backups` for the review at `review`.
pub fn backups_dir(review: &Path) -> PathBuf {
    let stem = review
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "review".into());
    review
        .parent()
        .unwrap_or(Path::new("."))
        .join(format!("{stem}.backups"))
}

/// The snapshots in `dir`, newest first; files that are not snapshots are ignored.
pub fn list_snapshots(dir: &Path) -> Result<Vec<SnapshotInfo>> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(format!("cannot list {}", dir.display()), e)),
    };
    let mut list = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if let Some((taken_at, reason, change_seq)) = parse_name(&path) {
            list.push(SnapshotInfo {
                path: path.to_string_lossy().into_owned(),
                taken_at,
                reason,
                bytes: entry.metadata().map_or(0, |m| m.len()),
                change_seq,
                changes_since: 0,
            });
        }
    }
    list.sort_by(|a, b| {
        b.taken_at
            .cmp(&a.taken_at)
            .then(b.change_seq.cmp(&a.change_seq))
            .then(b.path.cmp(&a.path))
    });
    Ok(list)
}

/// Reads `<stamp>-<reason>-c<seq>[-n].threadline`.
fn parse_name(path: &Path) -> Option<(DateTime<Utc>, String, i64)> {
    let name = path.file_name()?.to_str()?.strip_suffix(".threadline")?;
    let (stamp, rest) = name.split_at_checked(16)?;
    let taken_at = parse_stamp(stamp)?;
    let rest = rest.strip_prefix('-')?;
    let mut parts: Vec<&str> = rest.split('-').collect();
    // An optional "-n" after the change number, added when two snapshots share a name.
    let seq_at = parts.iter().rposition(|p| {
        p.strip_prefix('c')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })?;
    if seq_at == 0 || parts.len() > seq_at + 2 {
        return None;
    }
    if let Some(extra) = parts.get(seq_at + 1) {
        if !extra.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let seq: i64 = parts[seq_at][1..].parse().ok()?;
    parts.truncate(seq_at);
    Some((taken_at, parts.join("-"), seq))
}

fn parse_stamp(stamp: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|t| t.and_utc())
}

fn clean_reason(reason: &str) -> String {
    let cleaned: String = reason
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(40)
        .collect();
    let cleaned = cleaned.trim_matches('-').to_owned();
    if cleaned.is_empty() {
        "manual".into()
    } else {
        cleaned
    }
}

/// A temporary file name beside `path`, for a copy that is renamed into place.
pub(crate) fn temp_beside(path: &Path, what: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{what}-tmp"));
    PathBuf::from(name)
}

/// Renames `from` over `to` (atomic on one file system) and syncs the folder, so the new name
/// survives a power cut.
pub(crate) fn rename_into_place(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).map_err(|e| Error::io(format!("cannot replace {}", to.display()), e))?;
    if let Some(dir) = to.parent() {
        sync_dir(dir)?;
    }
    Ok(())
}

/// Removes a database file and any journal, WAL or shared-memory file beside it.
pub(crate) fn remove_db_files(path: &Path) {
    let _ = fs::remove_file(path);
    for suffix in ["-journal", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = fs::remove_file(PathBuf::from(name));
    }
}

fn sync_file(path: &Path) -> Result<()> {
    fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io(format!("cannot sync {}", path.display()), e))
}

fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        fs::File::open(dir)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::io(format!("cannot sync {}", dir.display()), e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_names_read_back() {
        let (at, reason, seq) = parse_name(Path::new(
            "/x/20260301T090000Z-before-restore-c42-3.threadline",
        ))
        .unwrap();
        assert_eq!(at.to_rfc3339(), "2026-03-01T09:00:00+00:00");
        assert_eq!(reason, "before-restore");
        assert_eq!(seq, 42);
        assert!(parse_name(Path::new("20260301T090000Z-c42.threadline")).is_none());
        assert!(parse_name(Path::new("notes.threadline")).is_none());
        assert_eq!(clean_reason(" Import: IMR/Police "), "import--imr-police");
        assert_eq!(clean_reason("!!"), "manual");
    }
}
