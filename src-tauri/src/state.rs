//! The shell's one piece of state, the open review (or none), and the error shape the window
//! receives from every command.

use std::sync::{Mutex, MutexGuard};

use serde::Serialize;
use threadline::publication::gate::LeakHit;
use threadline::Review;

/// The review open in the window; `None` after "Close review" or when nothing was opened yet.
#[derive(Default)]
pub struct Open(Mutex<Option<Review>>);

impl Open {
    /// The lock on the open review. A command that panicked while holding it left the
    /// `Review` itself sound (every write is one transaction), so a poisoned lock is taken over.
    pub fn lock(&self) -> MutexGuard<'_, Option<Review>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs one core call on the open review, or answers `no_review` when none is open.
    pub fn with<T>(
        &self,
        call: impl FnOnce(&mut Review) -> threadline::Result<T>,
    ) -> Result<T, IpcError> {
        let mut open = self.lock();
        let review = open.as_mut().ok_or_else(IpcError::no_review)?;
        call(review).map_err(IpcError::from)
    }
}

/// An error as the window sees it: a stable code to branch on and a sentence to show, and
/// for a blocked publication export (`leak`) each hit, so the window can list them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpcError {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hits: Option<Vec<LeakHit>>,
}

impl IpcError {
    /// A file the app keeps for itself could not be read or written.
    pub fn io(what: &str, e: std::io::Error) -> Self {
        IpcError {
            code: "io",
            message: format!("{what}: {e}"),
            hits: None,
        }
    }

    /// A command that needs a review was called with none open.
    pub fn no_review() -> Self {
        IpcError {
            code: "no_review",
            message: "no review is open: open a review, create a new one or open the demo review"
                .into(),
            hits: None,
        }
    }
}

impl From<threadline::Error> for IpcError {
    fn from(e: threadline::Error) -> Self {
        let hits = match &e {
            threadline::Error::Leaks { hits } => Some(hits.clone()),
            _ => None,
        };
        IpcError {
            code: e.code(),
            message: e.to_string(),
            hits,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_without_an_open_review_answers_no_review() {
        let open = Open::default();
        let err = open.with(|review| review.details()).unwrap_err();
        assert_eq!(err.code, "no_review");
        assert!(err.message.starts_with("no review is open"));
    }

    #[test]
    fn core_errors_keep_their_code_and_message() {
        let err = IpcError::from(threadline::Error::invalid("title", "must not be empty"));
        assert_eq!(err.code, "invalid");
        assert_eq!(err.message, "title: must not be empty");
    }

    #[test]
    fn a_blocked_publication_export_carries_its_hits_to_the_window() {
        let hit = LeakHit {
            key: "name:laura@word/document.xml".into(),
            part: "word/document.xml".into(),
            kind: threadline::publication::gate::LeakKind::Name,
            entry_id: Some("p1".into()),
            term: "Laura".into(),
            found: "Laura".into(),
            context: "when Laura was seen".into(),
            count: 2,
        };
        let err = IpcError::from(threadline::Error::Leaks {
            hits: vec![hit.clone()],
        });
        assert_eq!(err.code, "leak");
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["hits"][0]["key"], "name:laura@word/document.xml");
        assert_eq!(json["hits"][0]["context"], "when Laura was seen");
        assert_eq!(json["hits"][0]["count"], 2);
        // Other errors keep the plain `{ code, message }` shape.
        let plain = serde_json::to_value(IpcError::from(threadline::Error::ReadOnly)).unwrap();
        assert!(plain.get("hits").is_none());
    }
}
