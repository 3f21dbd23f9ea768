//! A full copy of a review file for the chair, written so a half-made copy never appears
//! under the real name.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::crypto::Passphrase;
use crate::error::{Error, Result};

/// Copies the review behind `conn` (its committed state, WAL included) to `dest`, which must
/// not exist, protected with `key` when the review has one. `finish` runs on the copy before
/// it is put in place (to seal its history). The copy is made by
/// [`crate::backup::copy_database`] into a temporary file beside `dest`, finished, synced and
/// then moved to `dest`; on any failure nothing is left behind.
pub(crate) fn copy_review(
    conn: &Connection,
    key: Option<&Passphrase>,
    dest: &Path,
    finish: impl FnOnce(&Connection) -> Result<()>,
) -> Result<()> {
    if dest.exists() {
        return Err(Error::AlreadyExists {
            path: dest.to_owned(),
        });
    }
    let tmp = temp_beside(dest);
    let result = (|| {
        crate::backup::copy_database(conn, &tmp, key)?;
        {
            let copy = Connection::open_with_flags(
                &tmp,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            if let Some(key) = key {
                crate::crypto::apply_key(&copy, key)?;
                crate::crypto::check_key(&copy)?;
            }
            copy.pragma_update(None, "trusted_schema", "OFF")?;
            finish(&copy)?;
            copy.close().map_err(|(_, e)| Error::Storage(e))?;
        }
        publish(&tmp, dest)
    })();
    if result.is_err() {
        crate::backup::remove_db_files(&tmp);
    }
    result
}

/// Syncs the finished temporary file `tmp` and moves it to `dest`, which must still not exist.
fn publish(tmp: &Path, dest: &Path) -> Result<()> {
    fs::File::open(tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| Error::io(format!("cannot write {}", dest.display()), e))?;
    rename_new(tmp, dest).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::AlreadyExists {
            path: dest.to_owned(),
        },
        _ => Error::io(format!("cannot write {}", dest.display()), e),
    })
}

/// `PRAGMA application_id` of a protected return pack: "THRP".
const SEALED_PACK_ID: i32 = 0x5448_5250;

/// Writes the JSON of a return pack into a new SQLCipher file at `dest` (which must not
/// exist), protected with `key`: one table holding the text.
pub(crate) fn write_sealed_pack(dest: &Path, key: &Passphrase, json: &str) -> Result<()> {
    if dest.exists() {
        return Err(Error::AlreadyExists {
            path: dest.to_owned(),
        });
    }
    let tmp = temp_beside(dest);
    let result = (|| {
        let conn = Connection::open(&tmp)?;
        crate::crypto::apply_key(&conn, key)?;
        conn.pragma_update(None, "application_id", SEALED_PACK_ID)?;
        conn.execute_batch("CREATE TABLE return_pack (json TEXT NOT NULL);")?;
        conn.execute("INSERT INTO return_pack (json) VALUES (?1)", [json])?;
        conn.close().map_err(|(_, e)| Error::Storage(e))?;
        publish(&tmp, dest)
    })();
    if result.is_err() {
        crate::backup::remove_db_files(&tmp);
    }
    result
}

/// Opens a protected file read-only with `key` (a wrong key is [`Error::Passphrase`]).
fn open_keyed(path: &Path, key: Option<&Passphrase>) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    if let Some(key) = key {
        crate::crypto::apply_key(&conn, key)?;
    }
    crate::crypto::check_key(&conn)?;
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    Ok(conn)
}

/// Whether the protected file at `path` is a return pack (rather than a review).
pub(crate) fn is_sealed_pack(path: &Path, key: Option<&Passphrase>) -> Result<bool> {
    let conn = open_keyed(path, key)?;
    let id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    Ok(id == SEALED_PACK_ID)
}

/// The JSON bytes of a protected return pack, or `None` when they are longer than `limit`.
pub(crate) fn read_sealed_pack(
    path: &Path,
    key: Option<&Passphrase>,
    limit: u64,
) -> Result<Option<Vec<u8>>> {
    let conn = open_keyed(path, key)?;
    let len: i64 = conn.query_row(
        "SELECT coalesce(sum(length(CAST(json AS BLOB))), 0) FROM return_pack",
        [],
        |r| r.get(0),
    )?;
    if len as u64 > limit {
        return Ok(None);
    }
    let json: String = conn.query_row("SELECT json FROM return_pack LIMIT 1", [], |r| r.get(0))?;
    Ok(Some(json.into_bytes()))
}

/// A fresh temporary name in the folder of `path` (so the final rename stays on one disk).
pub(crate) fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "pack".into(), |n| n.to_string_lossy().into_owned());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    path.with_file_name(format!(".{name}.partial-{}-{nanos}", std::process::id()))
}

/// Moves `from` to `to` without ever replacing a file already at `to`, then syncs the folder
/// so the new name survives a crash.
pub(crate) fn rename_new(from: &Path, to: &Path) -> std::io::Result<()> {
    // A hard link fails if `to` exists, where a rename would silently replace it.
    match fs::hard_link(from, to) {
        Ok(()) => {
            fs::remove_file(from)?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(e),
        Err(_) => {
            // A file system without hard links: check, then rename.
            if to.exists() {
                return Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists));
            }
            fs::rename(from, to)?;
        }
    }
    #[cfg(unix)]
    if let Some(dir) = to.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}
