//! Any bytes offered as a Word document: read cleanly or refused, never a panic or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = threadline::import::docx::read_docx(data, "fuzz.docx");
});
