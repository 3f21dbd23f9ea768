//! Review packs: how the author and the panel chair exchange a review by file, with no server.
//!
//! - A **send pack** ([`Review::send_pack`]) is a full copy of the review file for the chair.
//!   It is a normal review file, protected with the same passphrase when the review is; its
//!   undo history is sealed, so the chair cannot undo the author's edits in their copy.
//! - A **return pack** ([`Review::return_pack`]) is a small JSON file made in the chair's copy
//!   (for a protected review, the JSON is kept inside a small SQLCipher file protected with
//!   the same passphrase, since comments quote the review's text).
//!   It holds what the person making it did there: the comments and replies they wrote, the
//!   threads they resolved or reopened (with each thread's first comment, so a reply always
//!   has its thread), and their approvals.
//! - [`Review::import_pack`] merges a return pack into the author's file by UUID in one
//!   transaction. A comment already in the file is never duplicated; its text changes only
//!   when it is the pack maker's own comment and the pack's edit is newer; its resolved state
//!   changes only when the pack's resolve or reopen is newer than the file's. Sections,
//!   findings and everything else the author wrote are never touched. Importing the same pack
//!   again changes nothing.
//!
//! - The chair can also import a later send pack (a whole review file) into their copy: the
//!   review's content becomes the author's, and the comments of both are kept (see
//!   [`copy_import`]).
//!
//! Packs are refused before anything is written when they are too large, malformed, from a
//! newer version, or from another review.

mod copy;
mod copy_import;
mod merge;

use std::fs;
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::context::Actor;
use crate::error::{Error, Result};
use crate::model::comments::{Comment, CommentFilter, CommentTarget, Stamp, TextAnchor};
use crate::review::{review_row_id, Review};

/// The `format` a return pack declares.
pub const RETURN_PACK_FORMAT: &str = "threadline-return-pack";

/// The newest return pack version this build writes and reads.
pub const RETURN_PACK_VERSION: u32 = 1;

/// Larger files are refused before they are read: a pack of comments is small.
pub const MAX_PACK_BYTES: u64 = 16 * 1024 * 1024;

/// At most this many comments, or approvals, in one pack.
pub const MAX_PACK_ITEMS: usize = 100_000;

/// A return pack as written to disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReturnPack {
    pub format: String,
    pub version: u32,
    /// The `review.id` of the review the pack was made from.
    pub review_id: String,
    pub made_by: Actor,
    pub made_at: DateTime<Utc>,
    pub comments: Vec<PackComment>,
    /// Verdicts on sections; absent in packs made before approvals existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approvals: Option<Vec<PackApproval>>,
}

/// One comment or reply in a return pack: its whole row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackComment {
    pub id: String,
    pub parent_id: Option<String>,
    pub author: String,
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub target_kind: CommentTarget,
    pub target_id: String,
    pub anchor: Option<TextAnchor>,
    pub body: String,
    pub resolved: bool,
    #[serde(default)]
    pub state_changed: Option<Stamp>,
    #[serde(default)]
    pub edited_at: Option<DateTime<Utc>>,
}

impl From<&Comment> for PackComment {
    fn from(c: &Comment) -> Self {
        PackComment {
            id: c.id.clone(),
            parent_id: c.parent_id.clone(),
            author: c.author.clone(),
            role: c.role.clone(),
            created_at: c.created_at,
            target_kind: c.target_kind,
            target_id: c.target_id.clone(),
            anchor: c.anchor.clone(),
            body: c.body.clone(),
            resolved: c.resolved,
            state_changed: c.state_changed.clone(),
            edited_at: c.edited_at,
        }
    }
}

/// One verdict on a section against an issued draft (a row of the `approval` table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackApproval {
    pub id: String,
    pub section_id: String,
    pub draft_id: String,
    pub state: String,
    #[serde(default)]
    pub note: String,
    pub text_sha256: String,
    pub by_name: String,
    pub role: String,
    pub at: String,
}

/// A comment of an imported pack whose words are not in the current text, or whose record
/// is gone. It is kept, with its quote (empty for a comment on a whole record that is gone),
/// and shown as orphaned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct OrphanedComment {
    pub comment_id: String,
    pub quote: String,
}

/// What [`Review::import_pack`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PackImportReport {
    /// Who made the pack.
    pub made_by: String,
    /// Comments, replies and approvals that were new to this file.
    pub merged: u32,
    /// Ones already here that the pack brought a newer edit, resolution or verdict for.
    pub updated: u32,
    /// Ones already here as the pack has them (or newer here).
    pub unchanged: u32,
    /// New comments whose words were found at another place than they were in the copy.
    pub reanchored: u32,
    /// New comments whose words are not in the current text, with their quotes.
    pub orphaned: Vec<OrphanedComment>,
    /// Items left out, each with why (an approval against a draft this file does not have).
    pub skipped: Vec<String>,
    /// For a whole copy of the review: records of its content (sections, findings and the
    /// rest) added, changed or removed to match the copy, and drafts added. 0 for a pack of
    /// comments.
    pub records_replaced: u32,
}

/// What [`Review::send_pack`] and [`Review::return_pack`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct PackWritten {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// Comments and replies in the pack (all of them for a send pack).
    pub comments: u32,
    /// Approvals in the pack.
    pub approvals: u32,
}

impl Review {
    /// Writes a full copy of the review to `out` (which must not exist) for the chair. The
    /// copy opens with [`Review::open`] (with the review's passphrase, when it has one); its
    /// undo history is sealed.
    pub fn send_pack(&mut self, out: &Path) -> Result<PackWritten> {
        self.ensure_sound()?;
        if out.exists() {
            return Err(Error::AlreadyExists {
                path: out.to_owned(),
            });
        }
        copy::copy_review(self.db(), self.key.as_ref(), out, |copy| {
            // The chair cannot undo the author's edits in their copy.
            copy.execute_batch(
                "UPDATE change SET state = 'fixed' WHERE state = 'done';
                 UPDATE change SET state = 'dropped' WHERE state = 'undone';",
            )?;
            Ok(())
        })?;
        let comments: u32 = self
            .db()
            .query_row("SELECT count(*) FROM comment", [], |r| r.get(0))?;
        let approvals = merge::local_approvals(self.db(), None)?.len() as u32;
        Ok(PackWritten {
            path: out.display().to_string(),
            bytes: fs::metadata(out).map_or(0, |m| m.len()),
            comments,
            approvals,
        })
    }

    /// The return pack of this copy: what the current actor did here (see the module
    /// documentation), ready to write.
    pub fn return_pack_value(&self) -> Result<ReturnPack> {
        let me = self.actor().clone();
        let review_id = review_row_id(self.db())?
            .ok_or_else(|| Error::invalid("review", "this file has no review details yet"))?;
        let threads = self.comments(&CommentFilter::default())?;
        let mine = |name: &str, role: &str| name == me.name && role == me.role;
        let mut comments = Vec::new();
        for thread in &threads {
            let replies: Vec<&Comment> = thread
                .replies
                .iter()
                .filter(|r| mine(&r.author, &r.role))
                .collect();
            let changed_state = thread
                .state_changed
                .as_ref()
                .is_some_and(|s| mine(&s.name, &s.role));
            if mine(&thread.author, &thread.role) || changed_state || !replies.is_empty() {
                comments.push(PackComment::from(thread));
                comments.extend(replies.into_iter().map(PackComment::from));
            }
        }
        let approvals = merge::local_approvals(self.db(), Some(&me.name))?;
        Ok(ReturnPack {
            format: RETURN_PACK_FORMAT.to_owned(),
            version: RETURN_PACK_VERSION,
            review_id,
            made_by: me,
            made_at: self.clock.now(),
            comments,
            approvals: Some(approvals),
        })
    }

    /// Writes the return pack of this copy to `out`, which must not exist. The pack of a
    /// protected review is protected with the same passphrase (it quotes the review's text).
    pub fn return_pack(&self, out: &Path) -> Result<PackWritten> {
        let pack = self.return_pack_value()?;
        let mut text = serde_json::to_string_pretty(&pack)?;
        text.push('\n');
        match &self.key {
            Some(key) => copy::write_sealed_pack(out, key, &text)?,
            None => write_new_file(out, text.as_bytes())?,
        }
        Ok(PackWritten {
            path: out.display().to_string(),
            bytes: text.len() as u64,
            comments: pack.comments.len() as u32,
            approvals: pack.approvals.as_ref().map_or(0, |a| a.len() as u32),
        })
    }

    /// Merges the return pack at `path` into this review (see the module documentation).
    /// Given a whole review file instead (a later send pack of this review), its content
    /// replaces this file's and the comments of both are kept: see [`copy_import`].
    pub fn import_pack(&mut self, path: &Path) -> Result<PackImportReport> {
        let name = display_name(path);
        match crate::crypto::file_kind(path)? {
            crate::crypto::FileKind::Plain => return self.import_copy(path, &name),
            crate::crypto::FileKind::Encrypted if self.is_encrypted() => {
                if !copy::is_sealed_pack(path, self.key.as_ref())? {
                    return self.import_copy(path, &name);
                }
                let bytes = copy::read_sealed_pack(path, self.key.as_ref(), MAX_PACK_BYTES)
                    .map_err(|e| match e {
                        Error::Storage(_) => bad(&name, "it is damaged"),
                        other => other,
                    })?
                    .ok_or_else(|| bad(&name, "it is larger than a review pack can be"))?;
                let pack = parse_return_pack(&bytes, &name)?;
                return merge::import(self, &pack, &name);
            }
            _ => {}
        }
        let pack = read_return_pack(path)?;
        merge::import(self, &pack, &name)
    }

    /// Merges a return pack already read (see [`Review::import_pack`]); `name` names it in
    /// errors.
    pub fn import_pack_value(&mut self, pack: &ReturnPack, name: &str) -> Result<PackImportReport> {
        merge::import(self, pack, name)
    }
}

fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn bad(name: &str, reason: impl Into<String>) -> Error {
    Error::BadDocument {
        name: name.to_owned(),
        reason: reason.into(),
    }
}

/// Reads and checks a return pack file: its size before reading it, then its format tag and
/// version. The content is checked against the review by the import.
pub fn read_return_pack(path: &Path) -> Result<ReturnPack> {
    use std::io::Read;
    let name = display_name(path);
    let meta =
        fs::metadata(path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    if !meta.is_file() {
        return Err(bad(&name, "it is a folder, not a file"));
    }
    if meta.len() > MAX_PACK_BYTES {
        return Err(bad(
            &name,
            format!(
                "it is {} bytes, more than a review pack can be ({MAX_PACK_BYTES} bytes)",
                meta.len()
            ),
        ));
    }
    let file = fs::File::open(path)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    // The file may grow while it is read; never read more than the limit.
    let mut bytes = Vec::new();
    file.take(MAX_PACK_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    if bytes.len() as u64 > MAX_PACK_BYTES {
        return Err(bad(&name, "it is larger than a review pack can be"));
    }
    if bytes.starts_with(b"SQLite format 3\0") {
        return Err(bad(
            &name,
            "it is a full review file (a send pack), not a return pack of comments; open it \
             as a review instead",
        ));
    }
    parse_return_pack(&bytes, &name)
}

/// Reads a return pack from its JSON bytes: the format tag and version first, then the rest.
fn parse_return_pack(bytes: &[u8], name: &str) -> Result<ReturnPack> {
    let name = name.to_owned();
    let text = std::str::from_utf8(bytes).map_err(|_| bad(&name, "it is not a text file"))?;
    // The format tag is checked on its own first, so any other JSON gets a plain answer.
    #[derive(Deserialize)]
    struct Head {
        format: Option<serde_json::Value>,
        version: Option<serde_json::Value>,
    }
    let head: Head = serde_json::from_str(text)
        .map_err(|e| bad(&name, format!("it is not a review pack ({e})")))?;
    if head.format.as_ref().and_then(|f| f.as_str()) != Some(RETURN_PACK_FORMAT) {
        return Err(bad(&name, "it is not a Threadline return pack"));
    }
    match head.version.as_ref().and_then(|v| v.as_u64()) {
        Some(v) if v >= 1 && v <= RETURN_PACK_VERSION as u64 => {}
        Some(v) if v > RETURN_PACK_VERSION as u64 => {
            return Err(bad(
                &name,
                format!(
                    "it was made by a newer version of Threadline (pack version {v}, this \
                     version reads up to {RETURN_PACK_VERSION}); update Threadline to import it"
                ),
            ))
        }
        _ => return Err(bad(&name, "its version is missing or not a number")),
    }
    serde_json::from_str(text).map_err(|e| bad(&name, format!("it is damaged ({e})")))
}

/// Writes `bytes` to `path`, which must not exist: into a temporary file beside it, synced,
/// then renamed into place, so a half-written pack is never left under the real name.
fn write_new_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.exists() {
        return Err(Error::AlreadyExists {
            path: path.to_owned(),
        });
    }
    let tmp = copy::temp_beside(path);
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        Ok::<_, std::io::Error>(())
    })()
    .and_then(|()| copy::rename_new(&tmp, path));
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            return Err(Error::AlreadyExists {
                path: path.to_owned(),
            });
        }
        return Err(Error::io(format!("cannot write {}", path.display()), e));
    }
    Ok(())
}
