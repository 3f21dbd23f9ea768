//! Snapshots beside the review: taken before imports and on request, checked after writing,
//! listed with what changed since, pruned by the retention rule, and restored safely.

use std::fs;
use std::path::Path;

use chrono::{Duration, TimeZone, Utc};
use threadline::backup::{drop_by_retention, KEEP_DAILY_DAYS, KEEP_LATEST};
use threadline::model::sources::SourceInput;
use threadline::model::tor::{TorInput, TorKind};
use threadline::{Context, Passphrase, Review, SnapshotInfo};

use crate::common::{ctx, fresh};

fn tor(text: &str) -> TorInput {
    TorInput {
        kind: TorKind::Generic,
        text: text.into(),
        out_of_scope_reason: None,
    }
}

fn texts(review: &Review) -> Vec<String> {
    review
        .tor_items()
        .unwrap()
        .into_iter()
        .map(|t| t.text)
        .collect()
}

#[test]
fn a_snapshot_is_a_sound_copy_listed_with_its_reason_and_the_changes_since() {
    let mut f = fresh();
    f.review.add_tor(tor("Was information shared?")).unwrap();
    let snap = f.review.snapshot("Before panel").unwrap();
    assert_eq!(snap.reason, "before-panel");
    let path = Path::new(&snap.path);
    assert_eq!(path.parent().unwrap(), f.dir.path().join("case.backups"));
    let name = path.file_name().unwrap().to_str().unwrap();
    assert!(
        name.starts_with("20260301T090000Z-before-panel-c"),
        "{name}"
    );
    let report = Review::verify(path, None).unwrap();
    assert_eq!(report.schema_version, threadline::SCHEMA_VERSION);

    f.review.add_tor(tor("Second")).unwrap();
    f.review.add_tor(tor("Third")).unwrap();
    let list = f.review.snapshots().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].changes_since, 2);
    assert!(list[0].bytes > 0);

    // The copy opens as a review of its own with what was there when it was taken.
    let copy = f.dir.path().join("copy.threadline");
    fs::copy(path, &copy).unwrap();
    let opened = Review::open(&copy, ctx()).unwrap();
    assert_eq!(texts(&opened), vec!["Was information shared?".to_owned()]);
}

#[test]
fn restoring_keeps_the_current_state_as_a_snapshot_first() {
    let mut f = fresh();
    f.review.add_tor(tor("Kept")).unwrap();
    let old = f.review.snapshot("manual").unwrap();
    f.review.add_tor(tor("Added later")).unwrap();
    let kept = f.review.restore(Path::new(&old.path)).unwrap();
    assert_eq!(kept.reason, "before-restore");
    assert_eq!(texts(&f.review), vec!["Kept".to_owned()]);
    f.review.integrity_check().unwrap();
    // Edits go on after a restore, and survive reopening.
    f.review.add_tor(tor("After restore")).unwrap();
    f.review.close().unwrap();
    let mut review = Review::open(&f.path, ctx()).unwrap();
    assert_eq!(
        texts(&review),
        vec!["Kept".to_owned(), "After restore".to_owned()]
    );
    // The state before the restore can itself be restored.
    review.restore(Path::new(&kept.path)).unwrap();
    assert_eq!(
        texts(&review),
        vec!["Kept".to_owned(), "Added later".to_owned()]
    );
}

#[test]
fn a_file_that_is_not_a_sound_snapshot_of_this_review_is_not_restored() {
    let mut f = fresh();
    f.review.add_tor(tor("Current")).unwrap();
    let other = tempfile::tempdir().unwrap();
    let stray = other.path().join("20260301T090000Z-manual-c1.threadline");
    Review::create(&stray, ctx()).unwrap().close().unwrap();
    let err = f.review.restore(&stray).unwrap_err();
    assert_eq!(err.code(), "invalid", "{err}");

    let snap = f.review.snapshot("manual").unwrap();
    let mut bytes = fs::read(&snap.path).unwrap();
    // Scramble the header of every b-tree page after the first.
    for page in bytes.chunks_mut(4096).skip(1) {
        for b in &mut page[..16] {
            *b ^= 0x5a;
        }
    }
    fs::write(&snap.path, bytes).unwrap();
    let before = f.review.snapshots().unwrap().len();
    let err = f.review.restore(Path::new(&snap.path)).unwrap_err();
    assert!(
        ["damaged", "not_threadline", "storage"].contains(&err.code()),
        "{err}"
    );
    assert_eq!(texts(&f.review), vec!["Current".to_owned()]);
    assert_eq!(
        f.review.snapshots().unwrap().len(),
        before,
        "nothing written"
    );
}

#[test]
fn a_protected_review_snapshots_and_restores_with_its_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.threadline");
    let key = Passphrase::new("snap key").unwrap();
    let mut review = Review::create(&path, ctx().with_passphrase(key.clone())).unwrap();
    review.add_tor(tor("Protected")).unwrap();
    let snap = review.snapshot("manual").unwrap();
    assert_eq!(
        Review::verify(Path::new(&snap.path), None)
            .unwrap_err()
            .code(),
        "passphrase_needed"
    );
    Review::verify(Path::new(&snap.path), Some(&key)).unwrap();
    review.add_tor(tor("Later")).unwrap();
    review.restore(Path::new(&snap.path)).unwrap();
    assert!(review.is_encrypted());
    assert_eq!(texts(&review), vec!["Protected".to_owned()]);
    review.close().unwrap();
    let review = Review::open(&path, ctx().with_passphrase(key)).unwrap();
    assert_eq!(texts(&review), vec!["Protected".to_owned()]);
}

#[test]
fn every_import_takes_a_snapshot_first() {
    let mut f = fresh();
    let doc = f.dir.path().join("imr.txt");
    fs::write(&doc, "Police IMR.\n\nThe officer visited on 3 May.\n").unwrap();
    f.review
        .import_document(SourceInput::default(), &doc, None, &mut |_| {})
        .unwrap();
    let list = f.review.snapshots().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].reason, "import");
    assert_eq!(list[0].changes_since, 1, "the import itself came after it");
    let csv = f.dir.path().join("chron.csv");
    fs::write(&csv, "Date,Event\n2020-05-03,Home visit\n").unwrap();
    let preview = f.review.preview_chronology_import(&csv, None).unwrap();
    f.review
        .import_chronology(&csv, &preview.mapping, &mut |_| {})
        .unwrap();
    assert_eq!(f.review.snapshots().unwrap().len(), 2);
    f.review
        .import_text(
            SourceInput {
                title: "Pasted notes".into(),
                ..SourceInput::default()
            },
            "A note typed in.",
        )
        .unwrap();
    assert_eq!(f.review.snapshots().unwrap().len(), 3);
}

#[test]
fn issuing_a_draft_takes_a_snapshot_first() {
    let mut f = fresh();
    f.review.add_tor(tor("Before the draft")).unwrap();
    f.review.issue_draft(None).unwrap();
    let list = f.review.snapshots().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].reason, "draft");
    assert_eq!(list[0].changes_since, 1, "the draft itself came after it");
    let copy = Review::open(Path::new(&list[0].path), ctx()).unwrap();
    assert_eq!(texts(&copy), vec!["Before the draft".to_owned()]);
    assert!(copy.drafts().unwrap().is_empty());
}

#[test]
fn a_timed_snapshot_is_due_only_after_edits_and_the_interval() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.threadline");
    let start = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    let mut review = Review::create(&path, Context::fixed(start, 1)).unwrap();
    assert!(!review.snapshot_due(10).unwrap(), "nothing edited yet");
    review.add_tor(tor("One")).unwrap();
    assert!(review.snapshot_due(10).unwrap());
    review.snapshot("timer").unwrap();
    assert!(!review.snapshot_due(10).unwrap());
    review.close().unwrap();

    let mut review = Review::open(&path, Context::fixed(start + Duration::minutes(11), 2)).unwrap();
    assert!(!review.snapshot_due(10).unwrap(), "no edit since");
    review.add_tor(tor("Two")).unwrap();
    assert!(review.snapshot_due(10).unwrap());
    assert!(!review.snapshot_due(20).unwrap(), "not yet 20 minutes");
}

fn info(at: chrono::DateTime<Utc>, n: usize) -> SnapshotInfo {
    SnapshotInfo {
        path: format!("s{n}"),
        taken_at: at,
        reason: "timer".into(),
        bytes: 1,
        change_seq: n as i64,
        changes_since: 0,
    }
}

#[test]
fn retention_keeps_the_latest_twenty_and_one_a_day_for_thirty_days() {
    let now = Utc.with_ymd_and_hms(2026, 6, 30, 12, 0, 0).unwrap();
    // Four a day for 40 days, newest first.
    let mut list = Vec::new();
    for day in 0..40 {
        for k in 0..4 {
            let at = now - Duration::days(day) - Duration::hours(k);
            list.push(info(at, list.len()));
        }
    }
    let dropped = drop_by_retention(&list, now);
    let dropped: std::collections::HashSet<String> = dropped.into_iter().map(|s| s.path).collect();
    let kept: Vec<&SnapshotInfo> = list.iter().filter(|s| !dropped.contains(&s.path)).collect();
    // The newest 20 cover days 0-4; then the newest of each day 5..=30 (26 more).
    assert!(list[..KEEP_LATEST]
        .iter()
        .all(|s| !dropped.contains(&s.path)));
    assert_eq!(kept.len(), KEEP_LATEST + (KEEP_DAILY_DAYS as usize - 4));
    assert!(kept
        .iter()
        .all(|s| now - s.taken_at <= Duration::days(KEEP_DAILY_DAYS)));
    let days: std::collections::HashSet<_> = kept.iter().map(|s| s.taken_at.date_naive()).collect();
    assert_eq!(days.len(), KEEP_DAILY_DAYS as usize + 1);
}

#[test]
fn old_snapshots_are_pruned_when_a_new_one_is_taken() {
    let mut f = fresh();
    let dir = f.review.backups_dir();
    fs::create_dir_all(&dir).unwrap();
    // 25 older snapshots on one day long ago: only the latest 20 overall may stay.
    let first = f.review.snapshot("manual").unwrap();
    for i in 0..25 {
        let name = format!("20250101T0000{:02}Z-timer-c0.threadline", i);
        fs::copy(&first.path, dir.join(name)).unwrap();
    }
    f.review.add_tor(tor("x")).unwrap();
    f.review.snapshot("manual").unwrap();
    let list = f.review.snapshots().unwrap();
    assert_eq!(list.len(), KEEP_LATEST);
    assert_eq!(list[0].reason, "manual");
}

fn tl(args: &[&str], dir: &Path) -> std::process::Output {
    std::process::Command::new(crate::common::cli())
        .args(args)
        .current_dir(dir)
        .env_remove("THREADLINE_PASSPHRASE")
        .output()
        .expect("run threadline")
}

#[test]
fn the_cli_backs_up_and_verify_fails_on_a_damaged_file() {
    let mut f = fresh();
    for i in 0..40 {
        f.review.add_tor(tor(&format!("Question {i}"))).unwrap();
    }
    f.review.close().unwrap();
    let d = f.dir.path();
    let out = tl(&["backup", "case.threadline"], d);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        threadline::backup::list_snapshots(&d.join("case.backups"))
            .unwrap()
            .len(),
        1
    );
    let out = tl(&["backup", "case.threadline", "-o", "copy.threadline"], d);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = tl(&["backup", "case.threadline", "-o", "copy.threadline"], d);
    assert!(
        !out.status.success(),
        "an existing file is never overwritten"
    );

    let out = tl(&["verify", "copy.threadline"], d);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("sound"));

    // Damage the copy's b-tree pages: verify says so and exits non-zero.
    let copy = d.join("copy.threadline");
    let mut bytes = fs::read(&copy).unwrap();
    for page in bytes.chunks_mut(4096).skip(1) {
        for b in &mut page[..16] {
            *b ^= 0x5a;
        }
    }
    fs::write(&copy, bytes).unwrap();
    let out = tl(&["verify", "copy.threadline"], d);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("damaged"), "{err}");
    assert!(!tl(&["verify", "missing.threadline"], d).status.success());
}
