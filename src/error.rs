//! The core's error type. Every failure a user can cause has its own variant with a lowercase
//! message that names the problem; `code()` gives the small closed set the UI branches on.

use std::path::PathBuf;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path} is not a Threadline review file ({reason})")]
    NotThreadline { path: PathBuf, reason: String },
    #[error("{path} was made by a newer version of Threadline (file schema {found}, this version reads up to {supported}); update Threadline to open it")]
    NewerVersion {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{path} is damaged ({detail}); it was not changed. Restore a backup or send the file for recovery")]
    Damaged { path: PathBuf, detail: String },
    #[error("the passphrase is wrong, or this file is not a Threadline review")]
    Passphrase,
    #[error("{path} is protected with a passphrase; enter it to open the review")]
    PassphraseNeeded { path: PathBuf },
    #[error("the disk is full (or the file reached its size limit); the last change was not saved and everything saved before it is kept. Free some space and try again")]
    DiskFull,
    #[error("review is open elsewhere: {path} is already open in another Threadline window or process{holder}")]
    OpenElsewhere { path: PathBuf, holder: String },
    #[error("review may be open on another computer: {path} was opened{holder} and not closed there; if it is not open there any more (that computer stopped), it can be taken over")]
    OpenOnAnotherComputer { path: PathBuf, holder: String },
    #[error("{path} already exists; choose another name")]
    AlreadyExists { path: PathBuf },
    #[error("no {kind} with id {id}")]
    NotFound { kind: &'static str, id: String },
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("cannot delete {what}: {uses}")]
    InUse { what: String, uses: String },
    #[error("nothing to undo")]
    NothingToUndo,
    #[error("nothing to redo")]
    NothingToRedo,
    #[error("cannot undo \"{summary}\": {table} {id} was changed since by something that undo does not cover")]
    UndoConflict {
        summary: String,
        table: String,
        id: String,
    },
    #[error("{name} is {kind} file, which Threadline cannot import; {advice}")]
    Unsupported {
        name: String,
        kind: String,
        advice: String,
    },
    #[error("{name} cannot be imported: {reason}; nothing was imported")]
    BadDocument { name: String, reason: String },
    #[error("the review is open read-only")]
    ReadOnly,
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the publication export was not written: {} thing(s) in it could identify someone:\n{}", hits.len(), hits.iter().map(|h| format!("  - {}", h.describe())).collect::<Vec<_>>().join("\n"))]
    Leaks {
        hits: Vec<crate::publication::gate::LeakHit>,
    },
    #[error("storage error: {0}")]
    Storage(rusqlite::Error),
    #[error("bad JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl Error {
    /// The stable code the UI and scripts branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotThreadline { .. } => "not_threadline",
            Error::NewerVersion { .. } => "newer_version",
            Error::Damaged { .. } => "damaged",
            Error::OpenElsewhere { .. } => "open_elsewhere",
            Error::OpenOnAnotherComputer { .. } => "open_on_another_computer",
            Error::Passphrase => "passphrase",
            Error::PassphraseNeeded { .. } => "passphrase_needed",
            Error::DiskFull => "disk_full",
            Error::AlreadyExists { .. } => "already_exists",
            Error::NotFound { .. } => "not_found",
            Error::Invalid { .. } => "invalid",
            Error::InUse { .. } => "in_use",
            Error::NothingToUndo | Error::NothingToRedo => "nothing_to_undo",
            Error::UndoConflict { .. } => "conflict",
            Error::Unsupported { .. } => "unsupported",
            Error::BadDocument { .. } => "bad_document",
            Error::ReadOnly => "read_only",
            Error::Io { .. } => "io",
            Error::Leaks { .. } => "leak",
            Error::Storage(_) | Error::Json(_) => "storage",
        }
    }

    /// A validation failure on one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

impl From<rusqlite::Error> for Error {
    /// A full disk (or `max_page_count` reached) is its own error, so the user is told what
    /// to do instead of seeing a storage error.
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ffi::ErrorCode::DiskFull) => Error::DiskFull,
            // A review opened read-only refuses writes in SQLite too.
            Some(rusqlite::ffi::ErrorCode::ReadOnly) => Error::ReadOnly,
            _ => Error::Storage(e),
        }
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
