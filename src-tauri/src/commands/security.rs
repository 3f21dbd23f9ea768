//! Keeping the open review safe: its passphrase (protect, change, remove), its snapshots (list,
//! take one now, restore one), and the timer that takes a snapshot every ten minutes of
//! editing, off the main thread. A failed timed snapshot is told to the window as an event,
//! never a crash.

use std::path::PathBuf;
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, State};
use threadline::{Passphrase, SnapshotInfo};

use super::review_commands;
use crate::app::ReviewInfo;
use crate::state::{IpcError, Open};

/// The event sent when a timed snapshot failed; its payload is the `{ code, message }` error.
pub const BACKUP_FAILED: &str = "backup-failed";

/// Minutes of editing between timed snapshots.
pub const SNAPSHOT_EVERY_MINUTES: i64 = 10;

/// How often the timer looks whether a snapshot is due.
const CHECK_EVERY: Duration = Duration::from_secs(60);

review_commands! {
    /// Protects the open review with `passphrase` (rewriting the file and its snapshots).
    /// Answers whether the review is now protected.
    fn add_passphrase(passphrase: String) -> bool => |review| {
        review.add_passphrase(Passphrase::new(passphrase)?)?;
        Ok(review.is_encrypted())
    };
    /// Changes the open review's passphrase from `current` to `passphrase`.
    fn change_passphrase(current: String, passphrase: String) -> bool => |review| {
        review.change_passphrase(&Passphrase::new(current)?, Passphrase::new(passphrase)?)?;
        Ok(review.is_encrypted())
    };
    /// Removes the protection, given the `current` passphrase: the review and its snapshots
    /// become readable without one.
    fn remove_passphrase(current: String) -> bool => |review| {
        review.remove_passphrase(&Passphrase::new(current)?)?;
        Ok(review.is_encrypted())
    };
    /// The open review's snapshots, newest first.
    fn snapshots() -> Vec<SnapshotInfo> => |review| review.snapshots();
    /// Takes a snapshot of the open review now, for `reason` ("manual" from Back up now).
    fn snapshot(reason: String) -> SnapshotInfo => |review| review.snapshot(&reason);
}

/// Replaces the open review's content with the snapshot at `path`, after keeping the current
/// state as a snapshot. Answers the review as it now is, for the window to reload.
#[tauri::command(async)]
pub fn restore_snapshot(
    app: AppHandle,
    open: State<'_, Open>,
    path: PathBuf,
) -> Result<ReviewInfo, IpcError> {
    let info = open.with(|review| review.restore(&path).and_then(|_| ReviewInfo::of(review)))?;
    crate::app::refresh_title(&app, &open);
    Ok(info)
}

/// Starts the timer thread: every minute it takes a "timer" snapshot of the open review when
/// [`timed_snapshot`] finds one due.
pub fn start_timer(app: &AppHandle) {
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("threadline-backups".into())
        .spawn(move || {
            let mut notice = FailureNotice::default();
            loop {
                std::thread::sleep(CHECK_EVERY);
                let result = timed_snapshot(&app.state::<Open>(), SNAPSHOT_EVERY_MINUTES);
                if let Some(error) = notice.after(result) {
                    eprintln!("threadline: timed backup failed: {}", error.message);
                    if let Err(e) = app.emit(BACKUP_FAILED, &error) {
                        eprintln!("threadline: cannot tell the window about the backup: {e}");
                    }
                }
            }
        });
    if let Err(e) = spawned {
        eprintln!("threadline: cannot start the backup timer: {e}");
    }
}

/// Takes a "timer" snapshot of the open review when one is due (edited since the newest
/// snapshot, which is at least `minutes` old). `None` when nothing was due, no review is
/// open, or a large file is still being checked (the snapshot waits for the next look).
pub fn timed_snapshot(open: &Open, minutes: i64) -> Option<threadline::Result<SnapshotInfo>> {
    let mut guard = open.lock();
    let review = guard.as_mut()?;
    // A file still being checked, or one open read-only (its writer keeps the backups).
    if review.is_checking() || review.is_read_only() {
        return None;
    }
    match review.snapshot_due(minutes) {
        Ok(false) => None,
        Ok(true) => Some(review.snapshot("timer")),
        Err(e) => Some(Err(e)),
    }
}

/// Decides which timed-snapshot failures the window hears of: a failure once, not again every
/// minute while it repeats the same way; after a success, the next failure again.
#[derive(Default)]
pub struct FailureNotice {
    last: Option<String>,
}

impl FailureNotice {
    /// The error to tell the window after one look of the timer, if any.
    pub fn after(&mut self, result: Option<threadline::Result<SnapshotInfo>>) -> Option<IpcError> {
        match result {
            None => None,
            Some(Ok(_)) => {
                self.last = None;
                None
            }
            Some(Err(e)) => {
                let error = IpcError::from(e);
                if self.last.as_deref() == Some(error.message.as_str()) {
                    return None;
                }
                self.last = Some(error.message.clone());
                Some(error)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use threadline::model::agencies::AgencyInput;
    use threadline::{Context, Review};

    fn open_review(dir: &std::path::Path) -> Open {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let review = Review::create(&dir.join("r.threadline"), Context::fixed(at, 7)).unwrap();
        let open = Open::default();
        *open.lock() = Some(review);
        open
    }

    fn add_agency(open: &Open, name: &str) {
        open.with(|r| {
            r.add_agency(AgencyInput {
                name: name.into(),
                short_name: String::new(),
                sector: String::new(),
            })
        })
        .unwrap();
    }

    #[test]
    fn the_timer_snapshots_an_edited_review_once_until_it_changes_and_time_passes() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            timed_snapshot(&Open::default(), 10).is_none(),
            "no review open"
        );
        let open = open_review(dir.path());
        add_agency(&open, "Northshire Police");

        let taken = timed_snapshot(&open, 10).expect("due").unwrap();
        assert_eq!(taken.reason, "timer");
        assert!(std::path::Path::new(&taken.path).is_file());
        assert!(taken.path.contains("r.backups"));
        // Nothing changed since: not due again.
        assert!(timed_snapshot(&open, 10).is_none());
        // Changed, but the newest snapshot is not ten minutes old (the clock stands still).
        add_agency(&open, "Northshire GP");
        assert!(timed_snapshot(&open, 10).is_none());
        // With no minimum age, the change is due at once.
        let second = timed_snapshot(&open, 0).expect("due").unwrap();
        assert!(second.change_seq > taken.change_seq);
        let listed = open.with(|r| r.snapshots()).unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].path, second.path, "newest first");
    }

    #[test]
    fn a_failing_timed_snapshot_is_told_once_until_it_works_again() {
        let mut notice = FailureNotice::default();
        let fail = || Some(Err(threadline::Error::DiskFull));
        let told = notice.after(fail()).expect("told the first time");
        assert_eq!(told.code, "disk_full");
        assert!(
            notice.after(fail()).is_none(),
            "the same failure again is not repeated"
        );
        assert!(notice.after(None).is_none());
        let dir = tempfile::tempdir().unwrap();
        let open = open_review(dir.path());
        add_agency(&open, "Northshire Police");
        assert!(
            notice.after(timed_snapshot(&open, 10)).is_none(),
            "a success"
        );
        assert!(
            notice.after(fail()).is_some(),
            "after a success, a failure is told again"
        );
    }

    #[test]
    fn an_empty_passphrase_is_refused_before_the_file_is_touched() {
        let dir = tempfile::tempdir().unwrap();
        let open = open_review(dir.path());
        let err = open
            .with(|r| r.add_passphrase(Passphrase::new("")?))
            .unwrap_err();
        assert_eq!(err.code, "invalid");
        assert!(!open.with(|r| Ok(r.is_encrypted())).unwrap());
    }
}
