//! Helpers shared by the integration tests: a temporary folder per test, a deterministic
//! context, and a fresh review file in it.

#![allow(dead_code)]

use std::path::PathBuf;

pub mod office;

use chrono::{TimeZone, Utc};
use tempfile::TempDir;
use threadline::{Context, Review};

/// A review in its own temporary folder; the folder goes when this is dropped.
pub struct Fixture {
    pub dir: TempDir,
    pub path: PathBuf,
    pub review: Review,
}

/// A deterministic context: a fixed clock and counting ids.
pub fn ctx() -> Context {
    Context::fixed(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(), 7)
}

/// A fresh, empty review file.
pub fn fresh() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("case.threadline");
    let review = Review::create(&path, ctx()).expect("create review");
    Fixture { dir, path, review }
}

/// The path of the `threadline` binary built for these tests.
pub fn cli() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_threadline"))
}

/// The shared corpus folder beside the checkout.
pub fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(name)
}
