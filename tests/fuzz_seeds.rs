//! Replays the fuzzers' committed inputs (fuzz/seeds: starting files and every crash the
//! fuzzers found, kept as regressions) through the same readers the fuzz targets call, so a
//! reader that panics on any of them fails the normal test run. `scripts/fuzz.sh` runs the
//! fuzzers themselves.

use std::path::PathBuf;

use threadline::export::{export, ExportDoc, ExportFormat, ExportRequest};
use threadline::import::{
    chronology::guess_mapping, document::read_text_document, docx::read_docx, table::read_table,
    FileFormat,
};
use threadline::model::chronology::parse_loose_date;
use threadline::model::people::{PersonCategory, PersonInput};
use threadline::model::sections::{scan_citations, Document, SectionInput};
use threadline::report::RenderOptions;
use threadline::{interchange::load, Context, Review};

/// Every file under fuzz/seeds/<target>, at least one.
fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("directory entry").path();
            let bytes = std::fs::read(&path).expect("seed file");
            (path, bytes)
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no seeds in {}", dir.display());
    out
}

#[test]
fn docx_seeds_read_or_refuse_cleanly() {
    let mut read = 0;
    for (path, bytes) in seeds("docx") {
        if let Ok(doc) = read_docx(&bytes, "seed.docx") {
            assert!(
                !doc.paragraphs.is_empty(),
                "{} read as empty",
                path.display()
            );
            read += 1;
        }
    }
    assert!(read >= 1, "the Word seed made by LibreOffice must read");
}

#[test]
fn csv_seeds_read_or_refuse_cleanly() {
    let mut read = 0;
    for (path, bytes) in seeds("csv") {
        if let Ok(table) = read_table(&bytes, "seed.csv", FileFormat::Csv) {
            let mapping = guess_mapping(&table.headers);
            assert!(
                mapping.date.is_some(),
                "{}: no date column guessed",
                path.display()
            );
            for row in &table.rows {
                for cell in &row.cells {
                    let _ = parse_loose_date(cell);
                }
            }
            read += 1;
        }
    }
    assert!(read >= 3, "the CSV seeds (comma, semicolon, tab) must read");
}

#[test]
fn xlsx_seeds_read_or_refuse_cleanly() {
    let mut read = 0;
    for (_, bytes) in seeds("xlsx") {
        if let Ok(table) = read_table(&bytes, "seed.xlsx", FileFormat::Xlsx) {
            assert!(!table.rows.is_empty());
            read += 1;
        }
    }
    assert!(read >= 1, "the Excel seed made by LibreOffice must read");
}

#[test]
fn load_seeds_make_a_review_or_leave_no_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (i, (path, bytes)) in seeds("load").into_iter().enumerate() {
        let Ok(json) = String::from_utf8(bytes) else {
            continue;
        };
        let file = dir.path().join(format!("{i}.threadline"));
        match load(&json, &file, Context::default()) {
            Ok(review) => drop(review),
            Err(e) => assert!(
                !file.exists(),
                "{}: failed ({e}) but left a file",
                path.display()
            ),
        }
    }
}

/// Found by the xlsx fuzzer: a cell reference so long that the workbook parser's arithmetic
/// overflows inside calamine. The reader refuses the file instead of panicking.
#[test]
fn a_workbook_that_crashes_the_parser_is_refused() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds/xlsx/calamine-cell-reference-overflow.xlsx");
    let bytes = std::fs::read(path).expect("seed");
    let err = read_table(&bytes, "found.xlsx", FileFormat::Xlsx).unwrap_err();
    assert_eq!(err.code(), "bad_document", "{err}");
}

#[test]
fn text_seeds_read_or_refuse_cleanly() {
    let mut read = 0;
    for (path, bytes) in seeds("text") {
        if let Ok(doc) = read_text_document(&bytes, "seed.txt") {
            assert!(
                !doc.paragraphs.is_empty(),
                "{} read as empty",
                path.display()
            );
            read += 1;
        }
    }
    assert!(
        read >= 3,
        "the text seeds (CRLF, UTF-16, Windows-1252) must read"
    );
}

/// As the markdown fuzz target: each seed becomes a section body, then renders and exports;
/// a publication export either is refused by the leak gate or holds no registered name.
#[test]
fn markdown_seeds_render_and_export() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut review =
        Review::create(&dir.path().join("seeds.threadline"), Context::default()).unwrap();
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
            heading: "Seed".into(),
            body: String::new(),
        })
        .unwrap()
        .id;
    for (path, bytes) in seeds("markdown") {
        let body = String::from_utf8(bytes).expect("markdown seeds are UTF-8");
        for c in scan_citations(&body).citations {
            assert!(body[c.start..c.end].starts_with("[[") && body[c.start..c.end].ends_with("]]"));
        }
        let input = SectionInput {
            document: Document::Overview,
            heading: "Seed".into(),
            body: body.clone(),
        };
        review.update_section(&section, input).unwrap();
        let options = RenderOptions {
            publication: true,
            ..RenderOptions::default()
        };
        let rendered = review
            .render_document(Document::Overview, &options)
            .unwrap();
        // What a reader sees: every text run (the marks' record of each original, for the
        // preview's hover, is not shown text).
        let mut shown = String::new();
        texts(&serde_json::to_value(&rendered).unwrap(), &mut shown);
        let shown = shown.to_lowercase();
        if body.contains("Laura") {
            assert!(
                shown.contains("child l"),
                "{}: no pseudonym",
                path.display()
            );
        }
        for name in ["fenwick", "lolly"] {
            assert_eq!(
                whole_word(&shown, name),
                None,
                "{}: {name} shown",
                path.display()
            );
        }
        for format in [ExportFormat::Docx, ExportFormat::Html, ExportFormat::Md] {
            let internal = ExportRequest::new(ExportDoc::Overview, format);
            export(&review, &internal, &mut |_| {}).unwrap();
            if let Ok(bytes) = export(&review, &internal.for_publication(), &mut |_| {}) {
                if format != ExportFormat::Docx {
                    let text = String::from_utf8_lossy(&bytes);
                    assert_eq!(
                        whole_word(&text, "fenwick"),
                        None,
                        "{}: {format:?}",
                        path.display()
                    );
                }
            }
        }
    }
}

/// Every `text` string in a rendered document, in order.
fn texts(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("text", serde_json::Value::String(t)) => {
                        out.push_str(t);
                        out.push('\n');
                    }
                    _ => texts(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| texts(v, out)),
        _ => {}
    }
}

/// As the pack fuzz target: the same review every run (fixed clock and ids, so the seeds name
/// its ids); each seed merges or is refused, and one merged twice adds nothing the second time.
#[test]
fn pack_seeds_merge_once_or_are_refused() {
    use chrono::TimeZone;
    use threadline::model::comments::CommentTarget;
    let dir = tempfile::tempdir().expect("temp dir");
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
    let mut merged = 0;
    for (path, _) in seeds("pack") {
        if let Ok(report) = review.import_pack(&path) {
            merged += report.merged;
            let again = review.import_pack(&path).unwrap();
            assert_eq!(again.merged, 0, "{}", path.display());
        }
    }
    assert!(
        merged >= 2,
        "the chair's seed pack must merge its reply and comment"
    );
}

/// Where `word` stands in `text` as a whole word (any case), with some context; `None` when
/// it does not. "Fenwickript" does not hold the name Fenwick; "Fenwick’s" does.
fn whole_word(text: &str, word: &str) -> Option<String> {
    let lower = text.to_lowercase();
    for (at, _) in lower.match_indices(word) {
        let before = lower[..at].chars().next_back();
        let after = lower[at + word.len()..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            // The line it is on ('\n' is one byte, so these are char boundaries).
            let from = lower[..at].rfind('\n').map_or(0, |i| i + 1);
            let to = lower[at..].find('\n').map_or(lower.len(), |i| at + i);
            return Some(lower[from..to].to_string());
        }
    }
    None
}
