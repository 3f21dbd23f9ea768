//! The app around the review: which review is open (opening, creating, the demo, closing),
//! the recent-files list, the window title, how import progress reaches the window, and what
//! happens at start and at exit.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};
use threadline::import::ImportProgress;
use threadline::model::details::Details;
use threadline::stats::Stats;
use threadline::{Passphrase, Review};

use crate::recent::RecentFiles;
use crate::state::{IpcError, Open};

/// The event sent to the window after a review was opened or closed; its payload is the
/// open review's [`ReviewInfo`], or `null` when none is open.
pub const REVIEW_CHANGED: &str = "review-changed";

/// The demo review's file name in the app's data folder.
const DEMO_FILE: &str = "demo.threadline";

/// What the window needs to know about the open review.
#[derive(Debug, Serialize)]
pub struct ReviewInfo {
    pub path: PathBuf,
    pub details: Details,
    pub stats: Stats,
    /// True when the file is protected with a passphrase.
    pub encrypted: bool,
    /// True when it was opened read-only (it is open elsewhere).
    pub read_only: bool,
}

impl ReviewInfo {
    pub(crate) fn of(review: &Review) -> threadline::Result<ReviewInfo> {
        Ok(ReviewInfo {
            path: review.path().to_owned(),
            details: review.details()?,
            stats: review.stats()?,
            encrypted: review.is_encrypted(),
            read_only: review.is_read_only(),
        })
    }
}

/// A protected review the app tried to reopen at start (named on the command line, or the
/// most recent one): it needs a passphrase, so the window asks for it once it is ready.
#[derive(Default)]
pub struct Locked(Mutex<Option<PathBuf>>);

impl Locked {
    fn set(&self, path: Option<PathBuf>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = path;
    }

    fn take(&self) -> Option<PathBuf> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// The open review, or `None`.
#[tauri::command(async)]
pub fn current_review(open: State<'_, Open>) -> Result<Option<ReviewInfo>, IpcError> {
    let open = open.lock();
    Ok(open.as_ref().map(ReviewInfo::of).transpose()?)
}

/// Opens the review file at `path` in place of the open one, with `passphrase` when it is
/// protected (a protected file opened without one answers `passphrase_needed`, a wrong one
/// `passphrase`). If it cannot be opened, the review that was open stays open.
#[tauri::command(async)]
pub fn open_review(
    app: AppHandle,
    open: State<'_, Open>,
    path: PathBuf,
    passphrase: Option<String>,
    how: Option<OpenHow>,
) -> Result<ReviewInfo, IpcError> {
    let how = how.unwrap_or_default();
    open_file(&app, &open, &path, passphrase_of(passphrase)?, how)
}

/// How to open a review another copy of Threadline may hold.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpenHow {
    /// To edit, when no one else has it open.
    #[default]
    Normal,
    /// To read only, beside the copy that has it open.
    ReadOnly,
    /// To edit, taking over from another computer the person knows has stopped.
    TakeOver,
}

/// Creates a new, empty review file at `path` (which must not exist) and opens it; protected
/// with `passphrase` when one is given.
#[tauri::command(async)]
pub fn new_review(
    app: AppHandle,
    open: State<'_, Open>,
    path: PathBuf,
    passphrase: Option<String>,
) -> Result<ReviewInfo, IpcError> {
    let path = absolute(&path)?;
    let review = Review::create(
        &path,
        crate::profile::context(&app, passphrase_of(passphrase)?),
    )?;
    switch_to(&app, &open, review)
}

/// The review the app could not reopen at start because it needs the person (its passphrase,
/// or a choice because it is open elsewhere), once: the window opens it again with
/// `open_review` and asks what it needs.
#[tauri::command(async)]
pub fn locked_review(locked: State<'_, Locked>) -> Option<PathBuf> {
    locked.take()
}

/// A passphrase the window sent, checked by the core (an empty one is refused).
fn passphrase_of(text: Option<String>) -> Result<Option<Passphrase>, IpcError> {
    Ok(text.map(Passphrase::new).transpose()?)
}

/// Opens the demo review kept in the app's data folder, writing it there first if missing.
#[tauri::command(async)]
pub fn open_demo(app: AppHandle, open: State<'_, Open>) -> Result<ReviewInfo, IpcError> {
    let path = app_dir(app.path().app_data_dir(), "data")?.join(DEMO_FILE);
    if let Some(info) = already_open(&open, &path)? {
        return Ok(info);
    }
    let review = if path.exists() {
        Review::open(&path, crate::profile::context(&app, None))?
    } else {
        create_parent(&path)?;
        // The demo is invented and never protected.
        threadline::demo::build_demo(&path, crate::profile::context(&app, None))?
    };
    switch_to(&app, &open, review)
}

/// Closes the open review (doing nothing when none is open).
#[tauri::command(async)]
pub fn close_review(app: AppHandle, open: State<'_, Open>) -> Result<(), IpcError> {
    let closing = open.lock().take();
    let closed = closing.map_or(Ok(()), Review::close);
    after_change(&app, None);
    Ok(closed?)
}

/// The reviews opened last that still exist, most recent first.
#[tauri::command(async)]
pub fn recent_files(app: AppHandle) -> Result<Vec<String>, IpcError> {
    Ok(recent_list(&app)?.load())
}

/// A core importer's progress callback that forwards each report to the window's channel
/// (the `on_progress` argument of the import commands), so the window can show a progress bar
/// while the import runs off the main thread. A window that stopped listening (reloaded,
/// closed) does not stop the work.
pub fn forward_progress(channel: &Channel<ImportProgress>) -> impl FnMut(ImportProgress) + '_ {
    move |update| {
        if let Err(e) = channel.send(update) {
            eprintln!("threadline: cannot send progress to the window: {e}");
        }
    }
}

/// Opens `path` in place of the open review (the work of [`open_review`], also used at start).
fn open_file(
    app: &AppHandle,
    open: &Open,
    path: &Path,
    passphrase: Option<Passphrase>,
    how: OpenHow,
) -> Result<ReviewInfo, IpcError> {
    let path = absolute(path)?;
    if let Some(info) = already_open(open, &path)? {
        return Ok(info);
    }
    let ctx = crate::profile::context(app, passphrase);
    let review = match how {
        OpenHow::Normal => Review::open(&path, ctx)?,
        OpenHow::ReadOnly => Review::open_read_only(&path, ctx)?,
        OpenHow::TakeOver => Review::open(
            &path,
            threadline::Context {
                take_over_lock: true,
                ..ctx
            },
        )?,
    };
    switch_to(app, open, review)
}

/// The open review's info when `path` is the file already open: reopening it would only meet
/// the review's own lock.
fn already_open(open: &Open, path: &Path) -> Result<Option<ReviewInfo>, IpcError> {
    let open = open.lock();
    let Some(review) = open.as_ref() else {
        return Ok(None);
    };
    if same_file(review.path(), path) {
        Ok(Some(ReviewInfo::of(review)?))
    } else {
        Ok(None)
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Makes a freshly opened review the open one, closing the previous review.
fn switch_to(app: &AppHandle, open: &Open, review: Review) -> Result<ReviewInfo, IpcError> {
    let info = ReviewInfo::of(&review)?;
    let previous = open.lock().replace(review);
    if let Some(previous) = previous {
        // The new review is open either way; a failed final checkpoint of the old one only
        // leaves its write-ahead log to be merged the next time it is opened.
        if let Err(e) = previous.close() {
            eprintln!("threadline: closing the previous review: {e}");
        }
    }
    after_change(app, Some(&info));
    Ok(info)
}

/// After a review was opened or closed: remember it, rebuild the menu (Open recent, Close
/// review), set the window title, tell the window.
fn after_change(app: &AppHandle, info: Option<&ReviewInfo>) {
    let recent = match recent_list(app) {
        Ok(recent) => recent,
        Err(e) => {
            eprintln!("threadline: {}", e.message);
            return;
        }
    };
    let list = match info.map(|info| std::fs::canonicalize(&info.path)) {
        Some(Ok(path)) => recent.remember(&path).unwrap_or_else(|e| {
            eprintln!("threadline: cannot save the recent-files list: {e}");
            recent.load()
        }),
        _ => recent.load(),
    };
    if let Err(e) = crate::menu::install(app, &list, info.is_some()) {
        eprintln!("threadline: cannot build the menu: {e}");
    }
    set_title(
        app,
        info.map(|info| window_title(&info.details.title, &info.path)),
    );
    if let Err(e) = app.emit(REVIEW_CHANGED, info) {
        eprintln!("threadline: cannot tell the window about the review: {e}");
    }
}

/// Sets the window title from the open review's current details (after an edit, undo or redo).
pub fn refresh_title(app: &AppHandle, open: &Open) {
    let title = {
        let open = open.lock();
        match open
            .as_ref()
            .map(|r| r.details().map(|d| (d.title, r.path().to_owned())))
        {
            Some(Ok((title, path))) => Some(window_title(&title, &path)),
            // The title is cosmetic: if the details cannot be read, keep the one shown.
            Some(Err(_)) => return,
            None => None,
        }
    };
    set_title(app, title);
}

fn set_title(app: &AppHandle, title: Option<String>) {
    let title = title.unwrap_or_else(|| "Threadline".to_owned());
    if let Some(window) = app.get_webview_window("main") {
        if let Err(e) = window.set_title(&title) {
            eprintln!("threadline: cannot set the window title: {e}");
        }
    }
}

/// "<review title> — <file name> — Threadline"; a review without a title shows its file name.
pub fn window_title(review_title: &str, path: &Path) -> String {
    let file = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let review_title = review_title.trim();
    if review_title.is_empty() {
        format!("{file} — Threadline")
    } else {
        format!("{review_title} — {file} — Threadline")
    }
}

/// At start: the review named on the command line (a path or a `file://` URL, as a desktop
/// file association passes it); else the most recently opened review; else none, and the
/// window offers the demo.
pub fn start(app: &AppHandle) {
    app.manage(Locked::default());
    crate::commands::security::start_timer(app);
    let open = app.state::<Open>();
    if let Some(arg) = std::env::args_os().nth(1) {
        let path = path_argument(&arg.to_string_lossy()).unwrap_or_else(|| PathBuf::from(&arg));
        if let Err(e) = open_file(app, &open, &path, None, OpenHow::Normal) {
            if waits_for_the_window(app, &e, &path) {
                after_change(app, None);
                return;
            }
            // The window cannot show it yet, and a file the user asked for must not fail
            // silently.
            app.dialog()
                .message(e.message)
                .title("Threadline could not open the review")
                .kind(MessageDialogKind::Error)
                .show(|_| {});
            after_change(app, None);
        }
        return;
    }
    let latest = recent_list(app)
        .ok()
        .and_then(|r| r.load().into_iter().next());
    match latest {
        Some(path) => {
            if let Err(e) = open_file(app, &open, Path::new(&path), None, OpenHow::Normal) {
                if waits_for_the_window(app, &e, Path::new(&path)) {
                    after_change(app, None);
                    return;
                }
                // Start without a review; it stays in Open recent to try again.
                eprintln!("threadline: cannot reopen {path}: {}", e.message);
                after_change(app, None);
            }
        }
        None => after_change(app, None),
    }
}

/// When opening at start failed only for want of the person's answer (a passphrase, or how to
/// open a review open elsewhere): keeps the path for the window to ask (see
/// [`locked_review`]).
fn waits_for_the_window(app: &AppHandle, e: &IpcError, path: &Path) -> bool {
    if ![
        "passphrase_needed",
        "open_elsewhere",
        "open_on_another_computer",
    ]
    .contains(&e.code)
    {
        return false;
    }
    app.state::<Locked>().set(absolute(path).ok());
    true
}

/// A `file://` URL as a path; `None` for anything else (a plain path is used as it is).
fn path_argument(arg: &str) -> Option<PathBuf> {
    if !arg.starts_with("file:") {
        return None;
    }
    tauri::Url::parse(arg).ok()?.to_file_path().ok()
}

/// At exit: close the open review so its write-ahead log is merged into the file.
pub fn close_at_exit(app: &AppHandle) {
    let closing = app.state::<Open>().lock().take();
    if let Some(review) = closing {
        if let Err(e) = review.close() {
            eprintln!("threadline: closing the review: {e}");
        }
    }
}

fn recent_list(app: &AppHandle) -> Result<RecentFiles, IpcError> {
    Ok(RecentFiles::new(&config_dir(app)?))
}

/// The app's config folder: the recent files and who is working live there.
pub fn config_dir(app: &AppHandle) -> Result<PathBuf, IpcError> {
    app_dir(app.path().app_config_dir(), "config")
}

fn app_dir(dir: tauri::Result<PathBuf>, which: &str) -> Result<PathBuf, IpcError> {
    dir.map_err(|e| IpcError {
        code: "io",
        message: format!("cannot find the app's {which} folder: {e}"),
        hits: None,
    })
}

fn absolute(path: &Path) -> Result<PathBuf, IpcError> {
    std::path::absolute(path).map_err(|source| {
        IpcError::from(threadline::Error::Io {
            context: format!("cannot resolve {}", path.display()),
            source,
        })
    })
}

fn create_parent(path: &Path) -> Result<(), IpcError> {
    let Some(dir) = path.parent() else {
        return Ok(());
    };
    std::fs::create_dir_all(dir).map_err(|source| {
        IpcError::from(threadline::Error::Io {
            context: format!("cannot create {}", dir.display()),
            source,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_passphrase_from_the_window_is_refused_and_none_means_unprotected() {
        assert!(passphrase_of(None).unwrap().is_none());
        assert!(passphrase_of(Some("river stone".into())).unwrap().is_some());
        let err = passphrase_of(Some(String::new())).unwrap_err();
        assert_eq!(err.code, "invalid");
    }

    #[test]
    fn the_review_locked_at_start_is_given_to_the_window_once() {
        let locked = Locked::default();
        assert_eq!(locked.take(), None);
        locked.set(Some(PathBuf::from("/home/u/child-p.threadline")));
        assert_eq!(
            locked.take(),
            Some(PathBuf::from("/home/u/child-p.threadline"))
        );
        assert_eq!(locked.take(), None, "asked once, not at every reload");
    }

    #[test]
    fn the_title_names_the_review_and_its_file() {
        assert_eq!(
            window_title("Child A", Path::new("/home/u/reviews/child-a.threadline")),
            "Child A — child-a.threadline — Threadline"
        );
    }

    #[test]
    fn a_review_without_a_title_shows_its_file_name() {
        assert_eq!(
            window_title("  ", Path::new("/tmp/new.threadline")),
            "new.threadline — Threadline"
        );
    }

    #[test]
    fn a_file_url_argument_becomes_a_path() {
        assert_eq!(
            path_argument("file:///home/u/My%20Review.threadline"),
            Some(PathBuf::from("/home/u/My Review.threadline"))
        );
        assert_eq!(path_argument("/home/u/review.threadline"), None);
    }

    #[test]
    fn progress_reaches_the_window_as_the_core_reports_it() {
        use std::sync::{Arc, Mutex};
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        let channel: Channel<ImportProgress> = Channel::new(move |body| {
            if let tauri::ipc::InvokeResponseBody::Json(json) = body {
                sink.lock().unwrap().push(json);
            }
            Ok(())
        });
        let mut report = forward_progress(&channel);
        for (stage, done) in [("Reading imr.docx", 0), ("Saving 120 of 400 rows", 2)] {
            report(ImportProgress {
                stage: stage.into(),
                done,
                total: 4,
            });
        }
        let seen: Vec<serde_json::Value> = seen
            .lock()
            .unwrap()
            .iter()
            .map(|s| serde_json::from_str(s).unwrap())
            .collect();
        assert_eq!(
            seen,
            vec![
                serde_json::json!({ "stage": "Reading imr.docx", "done": 0, "total": 4 }),
                serde_json::json!({ "stage": "Saving 120 of 400 rows", "done": 2, "total": 4 }),
            ]
        );
    }

    #[test]
    fn the_same_file_is_recognised_through_another_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("r.threadline");
        std::fs::write(&file, b"").unwrap();
        assert!(same_file(&file, &dir.path().join(".").join("r.threadline")));
        assert!(!same_file(&file, &dir.path().join("other.threadline")));
    }
}
