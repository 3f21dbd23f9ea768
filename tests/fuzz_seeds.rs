//! Replays the fuzzers' committed inputs (fuzz/seeds: starting files and every crash the
//! fuzzers found, kept as regressions) through the same readers the fuzz targets call, so a
//! reader that panics on any of them fails the normal test run. `scripts/fuzz.sh` runs the
//! fuzzers themselves.

use std::path::PathBuf;

use threadline::import::{
    chronology::guess_mapping, docx::read_docx, table::read_table, FileFormat,
};
use threadline::model::chronology::parse_loose_date;
use threadline::{interchange::load, Context};

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
