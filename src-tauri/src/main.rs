//! Threadline's desktop shell: opens one review and hands the window thin commands over the
//! core. Which review: the path given on the command line, else the bundled demo review in the
//! user's data folder (written on first run).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Mutex;

use serde::Serialize;
use threadline::stats::Stats;
use threadline::{Context, Review};

/// The one open review.
struct Open(Mutex<Review>);

/// An error as the window sees it: a stable code to branch on and a sentence to show.
#[derive(Debug, Serialize)]
struct IpcError {
    code: &'static str,
    message: String,
}

impl From<threadline::Error> for IpcError {
    fn from(e: threadline::Error) -> Self {
        IpcError {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// What the window shows about the open review.
#[derive(Debug, Serialize)]
struct ReviewInfo {
    path: PathBuf,
    details: threadline::model::details::Details,
    stats: Stats,
}

#[tauri::command(async)]
fn review_info(open: tauri::State<'_, Open>) -> Result<ReviewInfo, IpcError> {
    let review = open.0.lock().unwrap_or_else(|p| p.into_inner());
    Ok(ReviewInfo {
        path: review.path().to_owned(),
        details: review.details()?,
        stats: review.stats()?,
    })
}

/// The review to open: the first argument, or the demo review in the data folder.
fn review_path() -> Result<PathBuf, String> {
    if let Some(arg) = std::env::args_os().nth(1) {
        return Ok(PathBuf::from(arg));
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .ok_or("cannot find a data folder: HOME is not set")?;
    let dir = base.join("threadline");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir.join("demo.threadline"))
}

fn open_review() -> Result<Review, String> {
    let path = review_path()?;
    let result = if path.exists() {
        Review::open(&path, Context::default())
    } else {
        threadline::demo::build_demo(&path, Context::default())
    };
    result.map_err(|e| e.to_string())
}

fn main() {
    let review = match open_review() {
        Ok(r) => r,
        Err(message) => {
            eprintln!("threadline: {message}");
            std::process::exit(1);
        }
    };
    tauri::Builder::default()
        .manage(Open(Mutex::new(review)))
        .invoke_handler(tauri::generate_handler![review_info])
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("threadline: the window could not start: {e}");
            std::process::exit(1);
        });
}
