//! The shell's one piece of state, the open review (or none), and the error shape the window
//! receives from every command.

use std::sync::{Mutex, MutexGuard};

use serde::Serialize;
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

/// An error as the window sees it: a stable code to branch on and a sentence to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpcError {
    pub code: &'static str,
    pub message: String,
}

impl IpcError {
    /// A command that needs a review was called with none open.
    pub fn no_review() -> Self {
        IpcError {
            code: "no_review",
            message: "no review is open: open a review, create a new one or open the demo review"
                .into(),
        }
    }
}

impl From<threadline::Error> for IpcError {
    fn from(e: threadline::Error) -> Self {
        IpcError {
            code: e.code(),
            message: e.to_string(),
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
}
