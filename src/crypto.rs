//! Encryption at rest. A protected review is a SQLCipher file: every page, the WAL and every
//! snapshot are encrypted with a key drawn from the passphrase (SQLCipher 4 defaults:
//! AES-256, PBKDF2-HMAC-SHA512 with 256,000 iterations). Without the passphrase the file is
//! random bytes; nothing in it tells what it holds.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use rusqlite::Connection;

use crate::error::{Error, Result};

/// A passphrase. Its text is wiped from memory when dropped and never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Passphrase(String);

impl Passphrase {
    /// A passphrase; refused when empty.
    pub fn new(text: impl Into<String>) -> Result<Passphrase> {
        let text = text.into();
        if text.is_empty() {
            return Err(Error::invalid("passphrase", "the passphrase is empty"));
        }
        Ok(Passphrase(text))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

impl Drop for Passphrase {
    fn drop(&mut self) {
        // SAFETY: zero bytes are valid UTF-8, and the string is dropped right after.
        let bytes = unsafe { self.0.as_bytes_mut() };
        for b in bytes.iter_mut() {
            // Volatile, so the compiler cannot drop the wipe as a dead store.
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A plain SQLite database.
    Plain,
    /// Random-looking bytes in whole pages: most likely an encrypted review.
    Encrypted,
    /// Anything else (empty, text, a zip…).
    Other(&'static str),
}

/// Looks at the start of the file. An encrypted file starts with its random salt, so it can
/// only be told from other binary files by its shape: a whole number of pages and no text or
/// known file signature at the start.
pub fn file_kind(path: &Path) -> Result<FileKind> {
    let len = std::fs::metadata(path)
        .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?
        .len();
    if len == 0 {
        return Ok(FileKind::Other("the file is empty"));
    }
    let mut header = [0u8; 16];
    let mut f =
        File::open(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    let n = f
        .read(&mut header)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    if n == 16 && &header == b"SQLite format 3\0" {
        return Ok(FileKind::Plain);
    }
    let textual = header[..n]
        .iter()
        .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace());
    let signature = header.starts_with(b"PK") || header.starts_with(b"%PDF");
    if n == 16 && len >= 1024 && len % 512 == 0 && !textual && !signature {
        Ok(FileKind::Encrypted)
    } else {
        Ok(FileKind::Other("it is not a SQLite database"))
    }
}

/// Keys a fresh connection. Must be the first statement on it.
pub(crate) fn apply_key(conn: &Connection, key: &Passphrase) -> rusqlite::Result<()> {
    conn.pragma_update(None, "key", key.as_str())?;
    // Set after the key (which must come first), before anything reads a page.
    quiet(conn)
}

/// SQLCipher logs a failed decryption to stderr; a wrong passphrase is reported as an error
/// of ours instead.
pub(crate) fn quiet(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()))
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(()),
            e => Err(e),
        })
}

/// Checks that a keyed connection can read the file: with a wrong key, the first read fails.
pub(crate) fn check_key(conn: &Connection) -> Result<()> {
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ffi::ErrorCode::NotADatabase) => Error::Passphrase,
            _ => Error::from(e),
        })
}

impl crate::Review {
    /// Protects an unprotected review with `new`. The review is copied encrypted into a
    /// temporary file beside it, which is synced, checked and then renamed over the review, so
    /// an interruption leaves either the old file or the new one, never a mix. Its snapshots
    /// are encrypted too.
    pub fn add_passphrase(&mut self, new: Passphrase) -> Result<()> {
        if self.is_encrypted() {
            return Err(Error::invalid(
                "passphrase",
                "this review is already protected; change its passphrase instead",
            ));
        }
        self.rewrite_with_key(Some(new))
    }

    /// Changes the passphrase of a protected review (the same safe rewrite as
    /// [`add_passphrase`](Self::add_passphrase); snapshots follow). `current` must be the
    /// passphrase the review was opened with, so that nobody at an unattended window can
    /// change it.
    pub fn change_passphrase(&mut self, current: &Passphrase, new: Passphrase) -> Result<()> {
        if !self.is_encrypted() {
            return Err(Error::invalid(
                "passphrase",
                "this review is not protected; add a passphrase instead",
            ));
        }
        self.confirm_passphrase(current, "the passphrase was not changed")?;
        self.rewrite_with_key(Some(new))
    }

    /// Removes the protection: the review and its snapshots become plain files. `current`
    /// must be the review's passphrase, as for [`change_passphrase`](Self::change_passphrase).
    pub fn remove_passphrase(&mut self, current: &Passphrase) -> Result<()> {
        if !self.is_encrypted() {
            return Err(Error::invalid("passphrase", "this review is not protected"));
        }
        self.confirm_passphrase(current, "the protection was not removed")?;
        self.rewrite_with_key(None)
    }

    /// Refuses, naming what was not done, when `given` is not the review's passphrase.
    fn confirm_passphrase(&self, given: &Passphrase, not_done: &str) -> Result<()> {
        let matches = self.key.as_ref().is_some_and(|key| {
            // Every byte is compared, however early a difference comes.
            let (a, b) = (key.as_str().as_bytes(), given.as_str().as_bytes());
            a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
        });
        if matches {
            Ok(())
        } else {
            Err(Error::invalid(
                "the current passphrase",
                format!("it is not this review's passphrase, so {not_done}"),
            ))
        }
    }

    fn rewrite_with_key(&mut self, new: Option<Passphrase>) -> Result<()> {
        use crate::backup::{copy_database, remove_db_files, rename_into_place, temp_beside};
        self.ensure_sound()?;
        // Everything in the WAL goes into the main file first, so the copy sees it all and
        // no old page is left in a WAL beside the new file.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let old = self.key.clone();
        let tmp = temp_beside(self.path(), "rekey");
        remove_db_files(&tmp);
        let result = copy_database(&self.conn, &tmp, new.as_ref())
            .and_then(|()| self.replace_connection(|path| rename_into_place(&tmp, path), new));
        remove_db_files(&tmp);
        result?;
        let new = self.key.clone();
        self.rekey_snapshots(old.as_ref(), new.as_ref())
    }
}
