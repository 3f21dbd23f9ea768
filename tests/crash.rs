//! Crash safety: a writer process killed at random moments loses nothing it reported saved and
//! leaves no half-made edit; a lock left by a killed process does not block the next open; a
//! full disk is a clear error that keeps everything saved before.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use threadline::model::sources::SourceInput;
use threadline::{Error, Review};

use crate::common::{cli, ctx, fresh};

fn writer(path: &Path) -> Child {
    Command::new(cli())
        .arg("crash-writer")
        .arg(path)
        .env_remove("THREADLINE_PASSPHRASE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the writer")
}

/// A small xorshift generator, seeded from the clock and printed so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Checks the review after a kill: sound, every saved edit there, and every edit whole.
fn check_after_kill(path: &Path, saved: &BTreeSet<u64>) -> usize {
    let review = Review::open(path, ctx()).expect("the review opens after a kill");
    review
        .integrity_check()
        .expect("integrity_check after a kill");
    let sources = review.sources().unwrap();
    let mut present = BTreeSet::new();
    for s in &sources {
        let n: u64 = s
            .title
            .strip_prefix("edit ")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("unexpected source {}", s.title));
        assert!(present.insert(n), "edit {n} is there twice");
        // One edit writes a source and three paragraphs: all of them, or none.
        let paras = review.paragraphs(&s.id, 0, 100).unwrap();
        assert_eq!(paras.len(), 3, "edit {n} is half there");
        for (k, p) in paras.iter().enumerate() {
            assert!(
                p.text.starts_with(&format!("Edit {n} paragraph {}", k + 1)),
                "edit {n} paragraph {k}: {}",
                p.text
            );
        }
    }
    let lost: Vec<&u64> = saved.difference(&present).collect();
    assert!(lost.is_empty(), "reported saved but missing: {lost:?}");
    review.close().unwrap();
    sources.len()
}

#[test]
fn a_writer_killed_at_random_moments_loses_nothing_it_saved_and_leaves_no_half_edit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.threadline");
    let lock = dir.path().join("crash.threadline.lock");
    let seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("crash test seed {seed}");
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut saved = BTreeSet::new();
    let mut kills_mid_run = 0;
    let mut stale_locks = 0;
    for round in 0..28 {
        let mut child = writer(&path);
        // The first round also creates the file; later ones start from what is there.
        let wait = if round == 0 { 400 } else { 40 } + rng.below(260);
        std::thread::sleep(Duration::from_millis(wait));
        if child.try_wait().unwrap().is_none() {
            kills_mid_run += 1;
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert!(err.is_empty(), "the writer failed: {err}");
        for line in out.lines() {
            // A line cut by the kill has no newline after it, but it was still printed
            // after the commit, so it counts too.
            let n: u64 = line
                .strip_prefix("saved ")
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("unexpected output {line:?}"));
            saved.insert(n);
        }
        if lock.exists() {
            stale_locks += 1;
        }
        // Opening here also proves the lock left by the killed writer does not block.
        let count = check_after_kill(&path, &saved);
        assert!(count >= saved.len());
    }
    assert!(
        kills_mid_run >= 25,
        "only {kills_mid_run} kills hit a running writer"
    );
    assert!(
        stale_locks >= 25,
        "the killed writers should leave their lock files"
    );
    assert!(
        saved.len() > 28,
        "the writer saved only {} edits",
        saved.len()
    );
    eprintln!(
        "{} edits saved over 28 kills in {:.1} s",
        saved.len(),
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn a_review_open_in_a_writer_process_is_reported_open_elsewhere_until_it_dies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("busy.threadline");
    let mut child = writer(&path);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("the writer reports").unwrap();
    assert_eq!(first, "saved 1");
    let err = Review::open(&path, ctx()).unwrap_err();
    match &err {
        Error::OpenElsewhere { holder, .. } => {
            assert!(holder.contains(&child.id().to_string()), "{err}")
        }
        other => panic!("expected open elsewhere, got {other:?}"),
    }
    assert_eq!(err.code(), "open_elsewhere");
    child.kill().unwrap();
    child.wait().unwrap();
    drop(lines);
    // The dead writer's lock file is still there, and no obstacle.
    assert!(dir.path().join("busy.threadline.lock").exists());
    let review = Review::open(&path, ctx()).unwrap();
    review.integrity_check().unwrap();
    assert!(!review.sources().unwrap().is_empty());
}

#[test]
fn a_full_disk_is_a_clear_error_and_keeps_what_was_saved() {
    let mut f = fresh();
    let cap = f.review.limit_file_growth(40).unwrap();
    assert!(cap > 40);
    let text = "A paragraph that takes room in the file. ".repeat(60);
    let mut saved = Vec::new();
    let err = loop {
        let title = format!("Source {}", saved.len() + 1);
        match f.review.import_text(
            SourceInput {
                title: title.clone(),
                ..SourceInput::default()
            },
            &format!("{text}\n\n{text}"),
        ) {
            Ok(_) => saved.push(title),
            Err(e) => break e,
        }
        assert!(saved.len() < 500, "the page limit never bit");
    };
    assert!(matches!(err, Error::DiskFull), "{err:?}");
    assert_eq!(err.code(), "disk_full");
    assert!(err.to_string().contains("disk is full"));
    assert!(!saved.is_empty());
    // The review still works for reading, and a later edit that fits is saved.
    assert_eq!(f.review.sources().unwrap().len(), saved.len());
    f.review.close().unwrap();
    let review = Review::open(&f.path, ctx()).unwrap();
    review.integrity_check().unwrap();
    let titles: Vec<String> = review
        .sources()
        .unwrap()
        .into_iter()
        .map(|s| s.title)
        .collect();
    assert_eq!(titles, saved);
}
