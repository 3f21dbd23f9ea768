//! The review file itself: creating, reopening, and the typed errors for files we must refuse.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use threadline::model::tor::{TorInput, TorKind};
use threadline::{Error, Review, APPLICATION_ID, SCHEMA_VERSION};

use crate::common::{cli, ctx, fresh};

fn tor(text: &str) -> TorInput {
    TorInput {
        kind: TorKind::Generic,
        text: text.into(),
        out_of_scope_reason: None,
    }
}

fn bytes(path: &Path) -> Vec<u8> {
    fs::read(path).expect("read file")
}

#[test]
fn a_created_review_reopens_with_its_id_version_and_records() {
    let mut f = fresh();
    f.review.add_tor(tor("Was information shared?")).unwrap();
    let id = f.review.details().unwrap().id;
    f.review.close().unwrap();

    let raw = rusqlite::Connection::open(&f.path).unwrap();
    let app: i32 = raw
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    let version: i64 = raw
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(app, APPLICATION_ID);
    assert_eq!(version, SCHEMA_VERSION);
    drop(raw);

    let review = Review::open(&f.path, ctx()).unwrap();
    assert_eq!(review.details().unwrap().id, id);
    assert_eq!(review.tor_items().unwrap().len(), 1);
    review.integrity_check().unwrap();
}

#[test]
fn creating_over_an_existing_file_is_refused_and_the_file_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.threadline");
    fs::write(&path, "keep me").unwrap();
    let err = Review::create(&path, ctx()).unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
    assert_eq!(bytes(&path), b"keep me");
}

fn assert_not_ours(path: &Path, reason: &str) {
    let before = bytes(path);
    let err = Review::open(path, ctx()).unwrap_err();
    match &err {
        Error::NotThreadline { reason: r, .. } => assert!(r.contains(reason), "{err}"),
        other => panic!("expected not-a-Threadline-file, got {other:?}"),
    }
    assert_eq!(err.code(), "not_threadline");
    assert!(err.to_string().contains("is not a Threadline review file"));
    assert_eq!(bytes(path), before, "a refused file must not change");
}

#[test]
fn a_text_file_is_not_a_threadline_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minutes.threadline");
    fs::write(&path, "Panel minutes, 3 March.\nPresent: chair, author.\n").unwrap();
    assert_not_ours(&path, "not a SQLite database");
}

#[test]
fn an_empty_file_is_not_a_threadline_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.threadline");
    fs::write(&path, "").unwrap();
    assert_not_ours(&path, "empty");
}

#[test]
fn another_programs_sqlite_file_is_not_a_threadline_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
            .unwrap();
    }
    assert_not_ours(&path, "another program");
    // Still the other program's file, untouched.
    let c = rusqlite::Connection::open(&path).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn a_folder_is_not_a_threadline_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = Review::open(dir.path(), ctx()).unwrap_err();
    assert!(matches!(err, Error::NotThreadline { .. }), "{err}");
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nowhere.threadline");
    let err = Review::open(&path, ctx()).unwrap_err();
    assert_eq!(err.code(), "io");
    assert!(err.to_string().contains("nowhere.threadline"), "{err}");
    assert!(!path.exists());
}

#[test]
fn a_file_from_a_newer_version_is_refused_and_left_alone() {
    let mut f = fresh();
    f.review.add_tor(tor("Was the plan followed?")).unwrap();
    f.review.close().unwrap();
    {
        let c = rusqlite::Connection::open(&f.path).unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 5)
            .unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = bytes(&f.path);
    let err = Review::open(&f.path, ctx()).unwrap_err();
    match &err {
        Error::NewerVersion {
            found, supported, ..
        } => {
            assert_eq!(*found, SCHEMA_VERSION + 5);
            assert_eq!(*supported, SCHEMA_VERSION);
        }
        other => panic!("expected newer-version, got {other:?}"),
    }
    assert!(err.to_string().contains("newer version of Threadline"));
    assert_eq!(bytes(&f.path), before, "never migrate down, never touch");
}

#[test]
fn a_damaged_file_is_reported_as_damaged_and_not_written() {
    let mut f = fresh();
    for i in 0..300 {
        f.review
            .add_tor(tor(&format!("Question {i}: was the referral about the baby acted on in time by every agency that received it?")))
            .unwrap();
    }
    f.review.close().unwrap();
    let mut data = bytes(&f.path);
    let page = 4096;
    assert!(data.len() > page * 8, "expected a multi-page file");
    // Scribble over the middle pages, leaving the header page readable.
    let start = page * 3;
    let end = data.len() - page;
    for (i, b) in data[start..end].iter_mut().enumerate() {
        *b = (i * 7 % 251) as u8;
    }
    fs::write(&f.path, &data).unwrap();
    let err = Review::open(&f.path, ctx()).unwrap_err();
    assert!(matches!(err, Error::Damaged { .. }), "{err:?}");
    assert_eq!(err.code(), "damaged");
    assert!(err.to_string().contains("is damaged"));
    assert_eq!(
        bytes(&f.path),
        data,
        "a damaged file must not be written to"
    );
}

#[test]
fn a_second_opener_in_this_process_is_told_it_is_open_elsewhere() {
    let mut f = fresh();
    let started = Instant::now();
    let err = Review::open(&f.path, ctx()).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(matches!(err, Error::OpenElsewhere { .. }), "{err:?}");
    assert!(err.to_string().contains("review is open elsewhere"));
    // The first holder keeps working.
    f.review.add_tor(tor("Still editable")).unwrap();
    assert_eq!(f.review.tor_items().unwrap().len(), 1);
    // Once it is closed, the file opens again.
    let path = f.path.clone();
    f.review.close().unwrap();
    let again = Review::open(&path, ctx()).unwrap();
    assert_eq!(again.tor_items().unwrap().len(), 1);
}

#[test]
fn a_second_process_is_told_within_a_second_that_the_review_is_open_elsewhere() {
    let mut f = fresh();
    let started = Instant::now();
    let out = Command::new(cli())
        .arg("info")
        .arg(&f.path)
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("review is open elsewhere"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one-line error: {stderr}");
    assert!(took < Duration::from_secs(1), "took {took:?}");
    f.review
        .add_tor(tor("The first process carries on"))
        .unwrap();
    assert_eq!(f.review.tor_items().unwrap().len(), 1);
}

#[test]
fn a_review_open_elsewhere_opens_read_only_sees_new_saves_and_refuses_every_change() {
    let mut f = fresh();
    f.review.add_tor(tor("Saved by the writer")).unwrap();
    let err = Review::open(&f.path, ctx()).unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("process {}", std::process::id())),
        "the holder is named: {err}"
    );
    let mut reader = Review::open_read_only(&f.path, ctx()).unwrap();
    assert!(reader.is_read_only() && !f.review.is_read_only());
    assert_eq!(reader.tor_items().unwrap().len(), 1);
    // Every kind of change is refused with the same clear error.
    let refusals = [
        reader.add_tor(tor("Not allowed")).map(|_| ()),
        reader.undo().map(|_| ()),
        reader.compact().map(|_| ()),
        reader.snapshot("manual").map(|_| ()),
        reader.issue_draft(None).map(|_| ()),
    ];
    for refused in refusals {
        let e = refused.unwrap_err();
        assert_eq!(e.code(), "read_only", "{e}");
    }
    // The writer carries on, and the reader sees what it saves.
    f.review
        .add_tor(tor("Saved after the reader opened"))
        .unwrap();
    assert_eq!(reader.tor_items().unwrap().len(), 2);
    reader.close().unwrap();
    f.review.add_tor(tor("And after it closed")).unwrap();
    assert_eq!(f.review.tor_items().unwrap().len(), 3);
    assert!(
        !f.dir.path().join("case.backups").exists(),
        "no snapshot was written"
    );
}

#[test]
fn a_lock_left_by_another_computer_is_reported_and_taken_over_only_on_request() {
    let f = fresh();
    let path = f.path.clone();
    f.review.close().unwrap();
    let mut lock = path.as_os_str().to_owned();
    lock.push(".lock");
    // What a computer sharing the drive leaves when it crashes with the review open (or while
    // it has it open, on a drive that does not pass locks between computers).
    fs::write(
        &lock,
        "host=CASEWORK-PC-7\npid=4242\nsince=2026-12-01T09:15:00Z\n",
    )
    .unwrap();
    let err = Review::open(&path, ctx()).unwrap_err();
    assert_eq!(err.code(), "open_on_another_computer");
    let text = err.to_string();
    assert!(
        text.contains("process 4242 on CASEWORK-PC-7, since 2026-12-01 09:15 UTC"),
        "{text}"
    );
    // Reading is always possible; the lock file is left as it was.
    Review::open_read_only(&path, ctx())
        .unwrap()
        .close()
        .unwrap();
    assert!(fs::read_to_string(&lock).unwrap().contains("CASEWORK-PC-7"));
    // The person checked that computer: take the review over.
    let review = Review::open(
        &path,
        threadline::Context {
            take_over_lock: true,
            ..ctx()
        },
    )
    .unwrap();
    let mine = fs::read_to_string(&lock).unwrap();
    assert!(!mine.contains("CASEWORK-PC-7"), "{mine}");
    assert!(
        mine.contains(&format!("pid={}", std::process::id())),
        "{mine}"
    );
    review.close().unwrap();
    assert!(
        !Path::new(&lock).exists(),
        "a clean close removes the lock file"
    );
}

#[test]
fn a_lock_left_by_a_dead_process_on_this_computer_is_recovered() {
    let f = fresh();
    let path = f.path.clone();
    f.review.close().unwrap();
    let mut lock = path.as_os_str().to_owned();
    lock.push(".lock");
    let here = fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    fs::write(&lock, format!("host={}\npid=999999\n", here.trim())).unwrap();
    Review::open(&path, ctx()).unwrap().close().unwrap();
}

#[test]
fn the_lock_goes_with_the_process_that_held_it() {
    let f = fresh();
    let path = f.path.clone();
    drop(f.review);
    // A child process opens and closes it; afterwards we can open it again.
    let out = Command::new(cli()).arg("info").arg(&path).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Review::open(&path, ctx()).unwrap();
    drop(f.dir);
}

#[test]
fn a_large_damaged_file_opens_for_reading_but_refuses_every_write() {
    let mut f = fresh();
    for i in 0..300 {
        f.review
            .add_tor(tor(&format!(
                "Item {i}: did the agencies share what they knew about the household in time?"
            )))
            .unwrap();
    }
    f.review.close().unwrap();
    let mut data = bytes(&f.path);
    // Scribble over the pages holding the items' text (table, index and audit pages), leaving
    // the schema readable, as a failing disk sector might.
    let page = 4096;
    let marker = b"did the agencies share";
    let mut hit = 0;
    for chunk in data.chunks_mut(page).skip(1) {
        if chunk.windows(marker.len()).any(|w| w == marker) {
            for (i, b) in chunk.iter_mut().enumerate() {
                *b = (i * 7 % 251) as u8;
            }
            hit += 1;
        }
    }
    assert!(hit > 3, "expected several pages to damage");
    fs::write(&f.path, &data).unwrap();
    // Treat the file as large: it opens at once and the full check runs in the background.
    let mut review = Review::open_with_check_limit(&f.path, ctx(), 1024).unwrap();
    let err = review.add_tor(tor("One more")).unwrap_err();
    assert!(matches!(err, Error::Damaged { .. }), "{err:?}");
    assert!(matches!(review.undo(), Err(Error::Damaged { .. })));
    assert!(!review.is_checking());
    drop(review);
    assert_eq!(
        bytes(&f.path),
        data,
        "a damaged file must not be written to"
    );
}

#[test]
fn a_large_sound_file_checked_in_the_background_takes_edits() {
    let mut f = fresh();
    f.review.add_tor(tor("First")).unwrap();
    f.review.close().unwrap();
    let mut review = Review::open_with_check_limit(&f.path, ctx(), 1024).unwrap();
    review.add_tor(tor("Second")).unwrap();
    review.ensure_sound().unwrap();
    assert_eq!(review.tor_items().unwrap().len(), 2);
}
