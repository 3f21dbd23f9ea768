//! Any bytes offered as an Excel chronology: read cleanly or refused, never a panic that
//! escapes the reader.
//!
//! The reader turns a panic inside the third-party workbook parser into a refusal
//! (`catch_unwind` in src/import/table.rs); libFuzzer's panic hook would abort even on a caught
//! panic, so this target installs a silent hook. A panic that escapes still aborts the run.
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use threadline::import::{table::read_table, FileFormat};

static QUIET: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let _ = read_table(data, "fuzz.xlsx", FileFormat::Xlsx);
});
