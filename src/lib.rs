//! Threadline's core: one safeguarding case review in one SQLite file, with the evidence model,
//! the audit log and undo, full-text search, JSON interchange and the demo review.
//!
//! Everything the desktop app and the `threadline` command line do goes through the functions
//! here; neither of them holds SQL of its own.

pub mod anchor;
pub mod backup;
pub mod change;
pub mod checks;
pub mod context;
pub mod coverage;
pub mod crypto;
pub mod demo;
pub mod drafts;
pub mod error;
pub mod export;
pub mod import;
pub mod interchange;
pub mod links;
pub mod model;
pub mod publication;
pub mod report;
pub mod review;
pub mod review_pack;
pub mod search;
pub mod stats;

pub use backup::SnapshotInfo;
pub use change::{AuditEntry, AuditRow, Table};
pub use context::{
    Actor, Clock, Context, CountingIds, FixedClock, Ids, RandomIds, Role, SystemClock,
};
pub use crypto::Passphrase;
pub use error::{Error, Result};
pub use review::{Review, APPLICATION_ID, SCHEMA_VERSION};
