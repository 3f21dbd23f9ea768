//! Any bytes offered as a return pack (the chair's comments coming back): merged or refused
//! with nothing changed, and a pack merged once changes nothing the second time.
#![no_main]

use std::sync::{Mutex, OnceLock};

use chrono::TimeZone;
use libfuzzer_sys::fuzz_target;
use threadline::model::comments::CommentTarget;
use threadline::model::sections::{Document, SectionInput};
use threadline::{Context, Review};

struct Bench {
    dir: tempfile::TempDir,
    review: Review,
}

/// The same review every run (fixed clock and ids), so committed seeds name its ids.
fn bench() -> &'static Mutex<Bench> {
    static BENCH: OnceLock<Mutex<Bench>> = OnceLock::new();
    BENCH.get_or_init(|| {
        let dir = tempfile::tempdir_in("/dev/shm").expect("temp dir");
        let at = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        let path = dir.path().join("fuzz.threadline");
        let mut review = Review::create(&path, Context::fixed(at, 7)).unwrap();
        let section = review
            .add_section(SectionInput {
                document: Document::Overview,
                heading: "What happened".into(),
                body: "The school referred the family on 3 May.".into(),
            })
            .unwrap();
        review
            .comment_on_quote(CommentTarget::Section, &section.id, "3 May", "Which year?")
            .unwrap();
        Mutex::new(Bench { dir, review })
    })
}

fuzz_target!(|data: &[u8]| {
    let mut bench = bench().lock().unwrap();
    let pack = bench.dir.path().join("pack.json");
    std::fs::write(&pack, data).unwrap();
    if bench.review.import_pack(&pack).is_ok() {
        let again = bench.review.import_pack(&pack).expect("a pack that merged once merges again");
        assert_eq!(again.merged, 0, "importing the same pack twice added comments");
    }
});
