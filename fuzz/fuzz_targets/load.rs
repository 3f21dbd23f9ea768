//! Any text offered as a JSON dump: a new review, or a clean refusal that leaves no file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threadline::{interchange::load, Context};

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let dir = tempfile::tempdir_in("/dev/shm").expect("temp dir");
    let path = dir.path().join("fuzz.threadline");
    let failed = load(json, &path, Context::default()).is_err();
    assert!(!failed || !path.exists(), "a failed load left a file behind");
});
