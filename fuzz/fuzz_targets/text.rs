//! Any bytes offered as a plain-text source (notes, minutes): read as paragraphs or refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threadline::import::document::read_text_document;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = read_text_document(data, "fuzz.txt") {
        for p in &doc.paragraphs {
            assert!(!p.text.contains('\0'), "a NUL reached a paragraph");
        }
    }
});
