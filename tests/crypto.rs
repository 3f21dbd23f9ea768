//! Encryption at rest: a protected review, its WAL and its snapshots hold no readable text;
//! the passphrase is needed, checked, changed, added and removed without losing anything.

use std::fs;
use std::path::{Path, PathBuf};

use threadline::model::tor::{TorInput, TorKind};
use threadline::{Error, Passphrase, Review};

use crate::common::ctx;

const SENTINEL: &str = "Sentinel: the family moved to Larkspur Close in the spring";

fn pass(text: &str) -> Passphrase {
    Passphrase::new(text).unwrap()
}

fn tor(text: &str) -> TorInput {
    TorInput {
        kind: TorKind::Generic,
        text: text.into(),
        out_of_scope_reason: None,
    }
}

/// Every file in `dir` and below (the review, its WAL and shared memory, its snapshots).
fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The files under `dir` whose bytes contain `needle` (plain, or as UTF-16 in case any
/// layer wrote it so).
fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let plain = needle.as_bytes().to_vec();
    let wide: Vec<u8> = needle
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    all_files(dir)
        .into_iter()
        .filter(|p| {
            let bytes = fs::read(p).unwrap();
            [&plain, &wide]
                .iter()
                .any(|n| bytes.windows(n.len()).any(|w| w == n.as_slice()))
        })
        .collect()
}

fn tor_texts(review: &Review) -> Vec<String> {
    review
        .tor_items()
        .unwrap()
        .into_iter()
        .map(|t| t.text)
        .collect()
}

#[test]
fn a_protected_review_its_wal_and_snapshots_hold_no_readable_text_but_a_plain_one_does() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.threadline");
    let mut review = Review::create(&secret, ctx().with_passphrase(pass("correct horse"))).unwrap();
    assert!(review.is_encrypted());
    review.add_tor(tor(SENTINEL)).unwrap();
    review.snapshot("manual").unwrap();
    // While open, the edit sits in the WAL: grep it there too.
    let wal = dir.path().join("secret.threadline-wal");
    assert!(
        fs::metadata(&wal).unwrap().len() > 0,
        "the WAL should hold the edit"
    );
    assert_eq!(files_holding(dir.path(), SENTINEL), Vec::<PathBuf>::new());
    review.close().unwrap();
    assert!(
        all_files(dir.path()).len() >= 2,
        "the review and its snapshot"
    );
    assert_eq!(files_holding(dir.path(), SENTINEL), Vec::<PathBuf>::new());

    // The same steps without a passphrase: the grep finds the sentence, so it can fail.
    let open_dir = tempfile::tempdir().unwrap();
    let plain = open_dir.path().join("plain.threadline");
    let mut review = Review::create(&plain, ctx()).unwrap();
    assert!(!review.is_encrypted());
    review.add_tor(tor(SENTINEL)).unwrap();
    review.snapshot("manual").unwrap();
    review.close().unwrap();
    let hits = files_holding(open_dir.path(), SENTINEL);
    assert_eq!(hits.len(), 2, "the review and its snapshot: {hits:?}");

    // The protected review opens with its passphrase and holds the sentence.
    let review = Review::open(&secret, ctx().with_passphrase(pass("correct horse"))).unwrap();
    assert_eq!(tor_texts(&review), vec![SENTINEL.to_owned()]);
    review.integrity_check().unwrap();
}

#[test]
fn a_wrong_or_missing_passphrase_is_refused_without_a_hint_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.threadline");
    let mut review = Review::create(&path, ctx().with_passphrase(pass("right"))).unwrap();
    review.add_tor(tor(SENTINEL)).unwrap();
    review.close().unwrap();
    let before = fs::read(&path).unwrap();

    let err = Review::open(&path, ctx()).unwrap_err();
    assert!(matches!(err, Error::PassphraseNeeded { .. }), "{err:?}");
    assert_eq!(err.code(), "passphrase_needed");

    let err = Review::open(&path, ctx().with_passphrase(pass("wrong"))).unwrap_err();
    assert!(matches!(err, Error::Passphrase), "{err:?}");
    assert_eq!(err.code(), "passphrase");
    let message = err.to_string();
    assert_eq!(
        message,
        "the passphrase is wrong, or this file is not a Threadline review"
    );
    assert!(!message.contains("Larkspur") && !message.contains("case.threadline"));

    assert_eq!(
        fs::read(&path).unwrap(),
        before,
        "a refused open writes nothing"
    );
    assert!(!dir.path().join("case.threadline.lock").exists());
    assert!(Passphrase::new("").is_err());
    // A passphrase given for an unprotected file is not needed, and does no harm.
    let plain = dir.path().join("plain.threadline");
    Review::create(&plain, ctx()).unwrap().close().unwrap();
    let review = Review::open(&plain, ctx().with_passphrase(pass("any"))).unwrap();
    assert!(!review.is_encrypted());
}

#[test]
fn protecting_changing_and_removing_the_passphrase_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("case.threadline");
    let mut review = Review::create(&path, ctx()).unwrap();
    for i in 0..30 {
        review.add_tor(tor(&format!("{SENTINEL} {i}"))).unwrap();
    }
    review.snapshot("manual").unwrap();
    let want = tor_texts(&review);
    assert!(!files_holding(dir.path(), SENTINEL).is_empty());

    review.add_passphrase(pass("first")).unwrap();
    assert!(review.is_encrypted());
    assert_eq!(
        tor_texts(&review),
        want,
        "still readable on the open review"
    );
    review.add_tor(tor("after protecting")).unwrap();
    review.close().unwrap();
    assert_eq!(
        files_holding(dir.path(), SENTINEL),
        Vec::<PathBuf>::new(),
        "neither the review nor its old snapshot stays readable"
    );
    assert!(!dir.path().join("case.threadline.rekey-tmp").exists());
    let snaps = threadline::backup::list_snapshots(&dir.path().join("case.backups")).unwrap();
    assert_eq!(snaps.len(), 1, "the old snapshot is kept, now encrypted");
    Review::verify(Path::new(&snaps[0].path), Some(&pass("first"))).unwrap();

    let mut review = Review::open(&path, ctx().with_passphrase(pass("first"))).unwrap();
    // The current passphrase is asked for: a wrong one changes nothing.
    let before = std::fs::read(&path).unwrap();
    let err = review
        .change_passphrase(&pass("not it"), pass("second"))
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(
        err.to_string()
            .contains("not this review's passphrase, so the passphrase was not changed"),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    review
        .change_passphrase(&pass("first"), pass("second"))
        .unwrap();
    // In the same session the new passphrase is the current one.
    let err = review
        .change_passphrase(&pass("first"), pass("third"))
        .unwrap_err();
    assert!(
        err.to_string().contains("not this review's passphrase"),
        "{err}"
    );
    let err = review.add_passphrase(pass("third")).unwrap_err();
    assert_eq!(err.code(), "invalid");
    review.close().unwrap();
    assert!(matches!(
        Review::open(&path, ctx().with_passphrase(pass("first"))).unwrap_err(),
        Error::Passphrase
    ));
    assert!(Review::verify(Path::new(&snaps[0].path), Some(&pass("first"))).is_err());
    Review::verify(Path::new(&snaps[0].path), Some(&pass("second"))).unwrap();

    let mut review = Review::open(&path, ctx().with_passphrase(pass("second"))).unwrap();
    let mut all = want.clone();
    all.push("after protecting".into());
    assert_eq!(tor_texts(&review), all);
    let err = review.remove_passphrase(&pass("first")).unwrap_err();
    assert!(
        err.to_string()
            .contains("so the protection was not removed"),
        "{err}"
    );
    assert!(review.is_encrypted());
    review.remove_passphrase(&pass("second")).unwrap();
    assert!(!review.is_encrypted());
    assert_eq!(
        review
            .change_passphrase(&pass("second"), pass("x"))
            .unwrap_err()
            .code(),
        "invalid"
    );
    review.close().unwrap();
    let review = Review::open(&path, ctx()).unwrap();
    assert_eq!(tor_texts(&review), all);
    review.integrity_check().unwrap();
    assert!(!files_holding(dir.path(), SENTINEL).is_empty());
}

fn tl(args: &[&str], env: &[(&str, &str)], dir: &Path) -> std::process::Output {
    let mut cmd = std::process::Command::new(crate::common::cli());
    cmd.args(args)
        .current_dir(dir)
        .env_remove("THREADLINE_PASSPHRASE")
        .env_remove("THREADLINE_NEW_PASSPHRASE")
        .stdin(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run threadline")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_cli_creates_opens_and_changes_a_protected_review_with_the_passphrase_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = [("THREADLINE_PASSPHRASE", "tea for two")];
    let out = tl(
        &["new", "s.threadline", "--encrypt", "--title", "Larkspur"],
        &key,
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(files_holding(d, "Larkspur").is_empty());

    // Without a passphrase and without a terminal to ask on: a clear one-line refusal.
    let out = tl(&["info", "s.threadline"], &[], d);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("protected with a passphrase"),
        "{}",
        stderr(&out)
    );
    let out = tl(
        &["info", "s.threadline"],
        &[("THREADLINE_PASSPHRASE", "wrong")],
        d,
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("the passphrase is wrong"));
    let out = tl(&["info", "s.threadline"], &key, d);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Larkspur"));
    // Commands in other modules read it the same way.
    let out = tl(&["check", "s.threadline"], &key, d);
    assert!(out.status.code() != Some(2), "{}", stderr(&out));
    assert!(!stderr(&out).contains("passphrase"), "{}", stderr(&out));
    // So do the drafts and comments commands, which also say who is working.
    let out = tl(
        &[
            "draft",
            "issue",
            "s.threadline",
            "--as",
            "Jo Chair",
            "--role",
            "overlord",
        ],
        &key,
        d,
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("'overlord' is not a role"),
        "{}",
        stderr(&out)
    );
    let out = tl(
        &["draft", "issue", "s.threadline", "--as", "Alison Greaves"],
        &key,
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = tl(&["draft", "list", "s.threadline", "--json"], &key, d);
    assert!(out.status.success(), "{}", stderr(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["issued_by"], "Alison Greaves", "{list}");
    assert_eq!(list[0]["role"], "author", "{list}");
    let out = tl(&["comment", "list", "s.threadline"], &key, d);
    assert!(out.status.success(), "{}", stderr(&out));

    let out = tl(
        &["passphrase", "s.threadline", "--change"],
        &[key[0], ("THREADLINE_NEW_PASSPHRASE", "coffee")],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!tl(&["info", "s.threadline"], &key, d).status.success());
    let coffee = [("THREADLINE_PASSPHRASE", "coffee")];
    assert!(tl(&["verify", "s.threadline"], &coffee, d).status.success());

    let out = tl(&["passphrase", "s.threadline", "--remove"], &coffee, d);
    assert!(out.status.success(), "{}", stderr(&out));
    // The review and the snapshot its draft took are both plain now.
    assert_eq!(files_holding(d, "Larkspur").len(), 2);
    let out = tl(&["passphrase", "s.threadline", "--add"], &key, d);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(files_holding(d, "Larkspur").is_empty());
    let out = tl(&["verify", "s.threadline"], &key, d);
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        said.contains("sound") && said.contains("protected with a passphrase"),
        "{said}"
    );
}
