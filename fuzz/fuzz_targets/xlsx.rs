//! Any bytes offered as an Excel chronology: read cleanly or refused, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threadline::import::{table::read_table, FileFormat};

fuzz_target!(|data: &[u8]| {
    let _ = read_table(data, "fuzz.xlsx", FileFormat::Xlsx);
});
