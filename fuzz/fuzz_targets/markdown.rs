//! Any text typed or pasted as a report section's body: the citation scanner, the Markdown
//! renderer and every report export take it without panicking, and a publication export either
//! refuses (the leak gate) or holds no registered real name.
#![no_main]

use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use threadline::export::{export, ExportDoc, ExportFormat, ExportRequest};
use threadline::model::people::{PersonCategory, PersonInput};
use threadline::model::sections::{scan_citations, Document, SectionInput};
use threadline::report::RenderOptions;
use threadline::{Context, Review};

/// One review for the whole run: a register entry and a section whose body each input becomes.
struct Bench {
    _dir: tempfile::TempDir,
    review: Review,
    section: String,
}

fn bench() -> &'static Mutex<Bench> {
    static BENCH: OnceLock<Mutex<Bench>> = OnceLock::new();
    BENCH.get_or_init(|| {
        let dir = tempfile::tempdir_in("/dev/shm").expect("temp dir");
        let mut review =
            Review::create(&dir.path().join("fuzz.threadline"), Context::default()).unwrap();
        review
            .add_person(PersonInput {
                category: PersonCategory::Person,
                real_name: "Laura Fenwick".into(),
                aliases: vec!["Lolly".into()],
                pseudonym: "Child L".into(),
                role: String::new(),
                relation: String::new(),
                safe_to_name: false,
            })
            .unwrap();
        let section = review
            .add_section(SectionInput {
                document: Document::Overview,
                heading: "Fuzzed".into(),
                body: String::new(),
            })
            .unwrap()
            .id;
        Mutex::new(Bench {
            _dir: dir,
            review,
            section,
        })
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let scan = scan_citations(body);
    for c in &scan.citations {
        assert!(c.start < c.end && c.end <= body.len());
        assert!(body[c.start..c.end].starts_with("[[") && body[c.start..c.end].ends_with("]]"));
    }
    let mut bench = bench().lock().unwrap();
    let section = bench.section.clone();
    let input = SectionInput {
        document: Document::Overview,
        heading: "Fuzzed".into(),
        body: body.to_string(),
    };
    if bench.review.update_section(&section, input).is_err() {
        return; // refused as input (too long, say): nothing to render
    }
    let review = &bench.review;
    for publication in [false, true] {
        let options = RenderOptions {
            publication,
            ..RenderOptions::default()
        };
        review.render_document(Document::Overview, &options).unwrap();
    }
    for format in [ExportFormat::Docx, ExportFormat::Html, ExportFormat::Md] {
        let internal = ExportRequest::new(ExportDoc::Overview, format);
        export(review, &internal, &mut |_| {}).unwrap();
        if let Ok(bytes) = export(review, &internal.for_publication(), &mut |_| {}) {
            if format != ExportFormat::Docx {
                let text = String::from_utf8_lossy(&bytes).to_lowercase();
                assert!(!holds_word(&text, "fenwick"), "a publication export kept the name");
            }
        }
    }
});

/// Whether `word` stands in `text` as a whole word: "fenwick’s" holds it, "fenwickript" does
/// not (a different word, which the register does not name).
fn holds_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}
