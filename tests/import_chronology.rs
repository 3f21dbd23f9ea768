//! Chronology import from CSV and Excel files written by real writers.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::NaiveDate;
use proptest::prelude::*;
use threadline::import::chronology::{
    guess_mapping, ColumnMapping, RowProblem, RowStatus, MISSING_RATIONALE,
};
use threadline::import::table::{read_table, read_table_from, SheetChoice, Table};
use threadline::import::{FileFormat, ImportProgress};
use threadline::model::agencies::AgencyInput;
use threadline::model::chronology::{
    parse_loose_span, ChronologyEntry, ChronologyFilter, ChronologyInput, DatePrecision,
    Significance,
};
use threadline::model::people::{PersonCategory, PersonInput};
use threadline::{interchange, Review};

use crate::common::fresh;
use crate::common::office::soffice_convert;

// ---- helpers ----

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn cells(t: &Table) -> Vec<(usize, Vec<String>)> {
    t.rows.iter().map(|r| (r.number, r.cells.clone())).collect()
}

fn all(r: &Review) -> Vec<ChronologyEntry> {
    r.chronology(&ChronologyFilter::default()).unwrap()
}

fn agency_name(r: &Review, e: &ChronologyEntry) -> String {
    e.agency_id
        .as_ref()
        .map(|a| r.agency(a).unwrap().name)
        .unwrap_or_default()
}

fn quiet() -> impl FnMut(ImportProgress) {
    |_| {}
}

fn import(
    r: &mut Review,
    path: &Path,
    mapping: &ColumnMapping,
) -> threadline::import::chronology::ChronologyImport {
    r.import_chronology(path, mapping, &mut quiet()).unwrap()
}

fn guessed(r: &Review, path: &Path) -> ColumnMapping {
    r.preview_chronology_import(path, None).unwrap().mapping
}

fn add_agency(r: &mut Review, name: &str, short: &str) -> String {
    r.add_agency(AgencyInput {
        name: name.into(),
        short_name: short.into(),
        sector: String::new(),
    })
    .unwrap()
    .id
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

fn windows_1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

// ---- dates ----

#[test]
fn partial_uncertain_and_ranged_dates_are_read_with_their_span() {
    use DatePrecision::*;
    let cases: &[(&str, NaiveDate, DatePrecision, Option<NaiveDate>)] = &[
        ("03/04/2009", d(2009, 4, 3), Day, None),
        ("2009-04-03", d(2009, 4, 3), Day, None),
        ("39906", d(2009, 4, 3), Day, None),
        ("39906.604166", d(2009, 4, 3), Day, None),
        ("03/04/2009 14:30", d(2009, 4, 3), Day, None),
        ("2009-04-03T14:30:00", d(2009, 4, 3), Day, None),
        ("3 April 2009 at 2pm", d(2009, 4, 3), Day, None),
        ("03/04/2009 2:30 pm", d(2009, 4, 3), Day, None),
        ("the 3rd of April 2009", d(2009, 4, 3), Day, None),
        ("2004", d(2004, 1, 1), Year, None),
        ("Sept 2008", d(2008, 9, 1), Month, None),
        ("Sept. 2008", d(2008, 9, 1), Month, None),
        ("?/10/2010", d(2010, 10, 1), Month, None),
        ("??/10/2010", d(2010, 10, 1), Month, None),
        ("xx/10/2010", d(2010, 10, 1), Month, None),
        ("2010-10-??", d(2010, 10, 1), Month, None),
        ("?/?/2010", d(2010, 1, 1), Year, None),
        ("? October 2010", d(2010, 10, 1), Month, None),
        (
            "c. summer 2009",
            d(2009, 6, 1),
            Approximate,
            Some(d(2009, 8, 31)),
        ),
        (
            "summer 2009",
            d(2009, 6, 1),
            Approximate,
            Some(d(2009, 8, 31)),
        ),
        (
            "Spring 2010",
            d(2010, 3, 1),
            Approximate,
            Some(d(2010, 5, 31)),
        ),
        (
            "autumn 2008",
            d(2008, 9, 1),
            Approximate,
            Some(d(2008, 11, 30)),
        ),
        (
            "winter 2009",
            d(2009, 12, 1),
            Approximate,
            Some(d(2010, 2, 28)),
        ),
        (
            "winter 2011/12",
            d(2011, 12, 1),
            Approximate,
            Some(d(2012, 2, 29)),
        ),
        (
            "early 2005",
            d(2005, 1, 1),
            Approximate,
            Some(d(2005, 4, 30)),
        ),
        ("mid 2006", d(2006, 5, 1), Approximate, Some(d(2006, 8, 31))),
        ("mid-2006", d(2006, 5, 1), Approximate, Some(d(2006, 8, 31))),
        (
            "late 2007",
            d(2007, 9, 1),
            Approximate,
            Some(d(2007, 12, 31)),
        ),
        (
            "end of 2007",
            d(2007, 9, 1),
            Approximate,
            Some(d(2007, 12, 31)),
        ),
        (
            "early March 2005",
            d(2005, 3, 1),
            Approximate,
            Some(d(2005, 3, 10)),
        ),
        (
            "late February 2024",
            d(2024, 2, 21),
            Approximate,
            Some(d(2024, 2, 29)),
        ),
        ("c. 2019", d(2019, 1, 1), Approximate, Some(d(2019, 12, 31))),
        ("2004?", d(2004, 1, 1), Approximate, Some(d(2004, 12, 31))),
        (
            "2004 (approx)",
            d(2004, 1, 1),
            Approximate,
            Some(d(2004, 12, 31)),
        ),
        ("c. 3/6/2018", d(2018, 6, 3), Approximate, None),
        (
            "between 3 and 5 March 2010",
            d(2010, 3, 3),
            Day,
            Some(d(2010, 3, 5)),
        ),
        ("3 to 5 March 2010", d(2010, 3, 3), Day, Some(d(2010, 3, 5))),
        (
            "28 February to 3 March 2010",
            d(2010, 2, 28),
            Day,
            Some(d(2010, 3, 3)),
        ),
        ("3/4 - 5/4/2009", d(2009, 4, 3), Day, Some(d(2009, 4, 5))),
        (
            "03/04/2009 \u{2013} 05/04/2009",
            d(2009, 4, 3),
            Day,
            Some(d(2009, 4, 5)),
        ),
        (
            "March - May 2010",
            d(2010, 3, 1),
            Month,
            Some(d(2010, 5, 31)),
        ),
        ("2004-2006", d(2004, 1, 1), Year, Some(d(2006, 12, 31))),
        (
            "between 2004 and 2006",
            d(2004, 1, 1),
            Year,
            Some(d(2006, 12, 31)),
        ),
        (
            "from 1/2/2009 until 3/2/2009",
            d(2009, 2, 1),
            Day,
            Some(d(2009, 2, 3)),
        ),
    ];
    for (text, date, precision, end) in cases {
        assert_eq!(
            parse_loose_span(text).unwrap_or_else(|e| panic!("{text}: {e}")),
            (*date, *precision, *end),
            "{text}"
        );
    }
}

#[test]
fn backwards_or_impossible_dates_say_what_is_wrong() {
    let cases: &[(&str, &str)] = &[
        ("between 5 and 3 March 2010", "ends before it starts"),
        ("2006-2004", "ends before it starts"),
        ("early 3 March 2010", "puts 'early' before a single day"),
        ("?/13/2010", "no month 13"),
        ("summer", "is not a date Threadline can read"),
        ("winter 2009/11", "is not a date Threadline can read"),
        ("31 to 5 February 2010", "February 2010 has no day 31"),
        ("12345678", "is not a date Threadline can read"),
        ("?", "is not a date Threadline can read"),
    ];
    for (text, expected) in cases {
        let err = parse_loose_span(text).unwrap_err();
        assert_eq!(err.code(), "invalid", "{text}");
        assert!(
            err.to_string().contains(expected),
            "{text}: got '{err}', wanted '{expected}'"
        );
    }
}

// ---- the integrated order ----

#[test]
fn the_integrated_order_puts_coarse_dates_before_finer_ones_then_same_day_order() {
    let mut f = fresh();
    let police = add_agency(&mut f.review, "Police", "");
    let school = add_agency(&mut f.review, "School", "");
    let mut add = |date: NaiveDate, precision: DatePrecision, agency: &str, event: &str| {
        f.review
            .add_chronology_entry(ChronologyInput {
                precision,
                agency_id: Some(agency.to_owned()),
                ..ChronologyInput::new(date, event)
            })
            .unwrap()
    };
    use DatePrecision::*;
    // Added out of order, the finer ones first.
    add(d(2009, 3, 5), Day, &police, "police 5 March");
    let same_day_a = add(d(2009, 3, 1), Day, &school, "school 1 March a");
    add(d(2009, 3, 1), Month, &police, "police March");
    add(d(2009, 1, 1), Day, &school, "school 1 January");
    add(d(2009, 3, 1), Day, &police, "police 1 March b");
    add(d(2009, 1, 1), Year, &police, "police 2009");
    add(d(2009, 3, 1), Approximate, &school, "school c. March");
    add(d(2009, 1, 1), Month, &school, "school January");
    add(d(2008, 12, 31), Day, &police, "police New Year's Eve");
    let order = |r: &Review| -> Vec<String> { all(r).into_iter().map(|e| e.event).collect() };
    assert_eq!(
        order(&f.review),
        [
            "police New Year's Eve",
            "police 2009",
            "school January",
            "school 1 January",
            "school c. March",
            "police March",
            "school 1 March a",
            "police 1 March b",
            "police 5 March",
        ]
    );
    // Same-day order among the day entries, untouched by the coarser ones of that date.
    f.review
        .move_chronology_entry_within_day(&same_day_a.id, 1)
        .unwrap();
    assert_eq!(
        order(&f.review)[5..8],
        ["police March", "police 1 March b", "school 1 March a"]
    );
    // One agency's entries keep the same order.
    let police_only: Vec<String> = f
        .review
        .chronology(&ChronologyFilter {
            agency_id: Some(police),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(
        police_only,
        [
            "police New Year's Eve",
            "police 2009",
            "police March",
            "police 1 March b",
            "police 5 March"
        ]
    );
}

// ---- guessing the mapping ----

#[test]
fn the_mapping_is_guessed_from_header_words() {
    let m = guess_mapping(&strings(&[
        "Seq",
        "DATE OF EVENT",
        "Agency / Organisation",
        "What happened?",
        "Source document",
        "Key practice episode (Y/N)",
        "Missed opportunity?",
        "Rationale",
        "People involved",
        "End date",
    ]));
    assert_eq!(
        m,
        ColumnMapping {
            date: Some(1),
            agency: Some(2),
            event: Some(3),
            source: Some(4),
            significance: Some(5),
            missed_opportunity: Some(6),
            rationale: Some(7),
            people: Some(8),
            end_date: Some(9),
            ..ColumnMapping::default()
        }
    );

    let m = guess_mapping(&strings(&[
        "When",
        "Service",
        "Details",
        "Ref",
        "Significance",
    ]));
    assert_eq!(
        (m.date, m.agency, m.event, m.source, m.significance),
        (Some(0), Some(1), Some(2), Some(3), Some(4))
    );

    // Words inside longer headers, and a date column that is not the event's date.
    let m = guess_mapping(&strings(&[
        "Child's date of birth",
        "Event details (brief)",
        "Date recorded",
        "Agency involved",
        "Persons",
    ]));
    assert_eq!(m.date, Some(2));
    assert_eq!(m.event, Some(1));
    assert_eq!(m.agency, Some(3));
    assert_eq!(m.people, Some(4));
    assert_eq!(m.end_date, None);

    let m = guess_mapping(&strings(&["Entry", "Date", "Organisation", "Description"]));
    assert_eq!((m.date, m.event, m.agency), (Some(1), Some(0), Some(2)));

    assert_eq!(
        guess_mapping(&strings(&["Colour", "Size"])),
        ColumnMapping::default()
    );
    assert_eq!(guess_mapping(&[]), ColumnMapping::default());
}

// ---- CSV ----

const SAMPLE: &str =
    "Date,Agency,Event\n03/04/2009,Police,Caf\u{e9} visit; fine of \u{a3}50 \u{2019}paid\u{2019}\n";

#[test]
fn csv_is_read_in_every_encoding_and_delimiter() {
    let expected_headers = strings(&["Date", "Agency", "Event"]);
    let expected_row = strings(&[
        "03/04/2009",
        "Police",
        "Caf\u{e9} visit; fine of \u{a3}50 \u{2019}paid\u{2019}",
    ]);
    let comma = SAMPLE.to_owned();
    let semicolon = "Date;Agency;Event\n03/04/2009;Police;\"Caf\u{e9} visit; fine of \u{a3}50 \u{2019}paid\u{2019}\"\n";
    let tab = SAMPLE.replace(',', "\t");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(comma.as_bytes());
    let cases: Vec<(Vec<u8>, &str, char)> = vec![
        (comma.clone().into_bytes(), "UTF-8", ','),
        (bom, "UTF-8 with BOM", ','),
        (windows_1252(&comma), "Windows-1252", ','),
        (utf16le_with_bom(&tab), "UTF-16LE", '\t'),
        (semicolon.as_bytes().to_vec(), "UTF-8", ';'),
        (windows_1252(semicolon), "Windows-1252", ';'),
        (tab.clone().into_bytes(), "UTF-8", '\t'),
        (
            windows_1252(&tab.replace('\n', "\r\n")),
            "Windows-1252",
            '\t',
        ),
    ];
    for (i, (bytes, encoding, delimiter)) in cases.iter().enumerate() {
        let t = read_table(bytes, "c.csv", FileFormat::Csv).unwrap();
        assert_eq!(t.headers, expected_headers, "case {i}");
        assert_eq!(cells(&t), vec![(2, expected_row.clone())], "case {i}");
        assert_eq!(t.encoding, *encoding, "case {i}");
        assert_eq!(t.delimiter, Some(*delimiter), "case {i}");
        assert_eq!(t.sheet, None);
    }

    // The text survives the import whole.
    let mut f = fresh();
    let path = write(f.dir.path(), "police.csv", &windows_1252(&comma));
    let mapping = guessed(&f.review, &path);
    import(&mut f.review, &path, &mapping);
    let entries = all(&f.review);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].event, expected_row[2]);
    assert_eq!(entries[0].date, d(2009, 4, 3));
    assert_eq!(entries[0].source_locator, "police.csv row 2");
}

#[test]
fn csv_quotes_blank_lines_ragged_rows_and_row_numbers() {
    let text = "\r\n\
        Date,Event,,\r\n\
        01/02/2009,\"Visit, with a comma\"\r\n\
        \r\n\
        ,,\r\n\
        02/02/2009,\"Two\r\nlines and \"\"quotes\"\"\",extra,\r\n\
        03/02/2009\r\n\
        04/02/2009,\"closing\" text after,x,y,z";
    let t = read_table(text.as_bytes(), "r.csv", FileFormat::Csv).unwrap();
    assert_eq!(t.delimiter, Some(','));
    assert_eq!(
        t.headers,
        strings(&["Date", "Event", "Column 3", "Column 4", "Column 5"])
    );
    assert_eq!(
        cells(&t),
        vec![
            (
                3,
                strings(&["01/02/2009", "Visit, with a comma", "", "", ""])
            ),
            (
                6,
                strings(&["02/02/2009", "Two\r\nlines and \"quotes\"", "extra", "", ""])
            ),
            (7, strings(&["03/02/2009", "", "", "", ""])),
            (
                8,
                strings(&["04/02/2009", "closing text after", "x", "y", "z"])
            ),
        ]
    );

    // Excel's "sep=" line names the separator, and is not a row.
    let t = read_table(b"sep=;\nDate;Event\n1/1/2009;a,b", "s.csv", FileFormat::Csv).unwrap();
    assert_eq!(t.delimiter, Some(';'));
    assert_eq!(cells(&t), vec![(2, strings(&["1/1/2009", "a,b"]))]);

    // Commas inside the text do not fool the separator guess for semicolon files.
    let t = read_table(
        "Date;Event\n1/1/2009;one, two, three\n2/1/2009;four, five\n".as_bytes(),
        "s.csv",
        FileFormat::Csv,
    )
    .unwrap();
    assert_eq!(t.delimiter, Some(';'));
    assert_eq!(t.rows[1].cells, strings(&["2/1/2009", "four, five"]));

    let t = read_table(b"", "e.csv", FileFormat::Csv).unwrap();
    assert!(t.headers.is_empty() && t.rows.is_empty());
}

#[test]
fn csv_limits_and_files_that_are_not_csv_are_refused_with_their_reason() {
    let reason = |bytes: &[u8]| match read_table(bytes, "big.csv", FileFormat::Csv) {
        Err(threadline::Error::BadDocument { reason, .. }) => reason,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let mut rows = String::from("Date,Event\n");
    for i in 0..200_001 {
        rows.push_str(&format!("1/1/2009,e{i}\n"));
    }
    assert_eq!(reason(rows.as_bytes()), "it has more than 200,000 rows");
    let mut text = String::from("Date,Event\n1/1/2009,");
    text.push_str(&"a".repeat(10_000_000));
    assert_eq!(
        reason(text.as_bytes()),
        "it holds more than 10 million characters of text"
    );
    let wide = format!("Date,Event\n1/1/2009{}\n", ",x".repeat(1_000));
    assert_eq!(reason(wide.as_bytes()), "row 2 has more than 1,000 columns");
    assert_eq!(
        reason(b"Date,Event\n1/1/2009,ok\n2/1/2009,\"never closed\n3/1/2009,x\n"),
        "the quoted cell that starts on row 3 is never closed"
    );
    assert!(reason(b"Date,Event\n\x00\x01\x02\x03\xff\x00\x00\x00").contains("binary data"));
    assert!(reason(b"PK\x03\x04rest of a zip").contains("zip file"));
    assert!(reason(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1]).contains("old Excel (.xls)"));
}

// ---- Excel ----

/// A workbook written by rust_xlsxwriter: an "About" sheet of prose first, then the
/// chronology with real date cells, text dates, numbers and a true/false column.
fn xlsxwriter_workbook() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let about = book.add_worksheet();
    about.set_name("About").unwrap();
    about
        .write_string(
            0,
            0,
            "Chronology supplied by Northshire Children's Services",
        )
        .unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Chronology").unwrap();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let day_time = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    for (c, h) in [
        "Date",
        "Agency",
        "Event",
        "Ref",
        "Key episode",
        "Missed opportunity",
        "Score",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet
        .write_datetime_with_format(1, 0, ExcelDateTime::from_ymd(2009, 4, 3).unwrap(), &day)
        .unwrap();
    sheet.write_string(1, 1, "Children's Services").unwrap();
    sheet
        .write_string(1, 2, "Referral received from school")
        .unwrap();
    sheet.write_number(1, 3, 12.0).unwrap();
    sheet.write_string(1, 4, "Yes").unwrap();
    sheet.write_boolean(1, 5, true).unwrap();
    sheet.write_number(1, 6, 0.1 + 0.2).unwrap();
    sheet
        .write_datetime_with_format(
            2,
            0,
            ExcelDateTime::from_ymd(2009, 4, 3)
                .unwrap()
                .and_hms(14, 30, 0)
                .unwrap(),
            &day_time,
        )
        .unwrap();
    sheet.write_string(2, 1, "Police").unwrap();
    sheet.write_string(2, 2, "Domestic abuse call-out").unwrap();
    sheet.write_number(2, 3, 1.5).unwrap();
    sheet
        .write_string(2, 5, "Yes - no referral to children's social care")
        .unwrap();
    // Row 4 left blank; rows keep their spreadsheet numbers.
    sheet.write_string(4, 0, "Sept 2008").unwrap();
    sheet.write_string(4, 1, "Health").unwrap();
    sheet
        .write_string(4, 2, "Missed health visitor appointment")
        .unwrap();
    sheet.write_number(4, 6, -3.0).unwrap();
    sheet.write_string(5, 0, "c. summer 2009").unwrap();
    sheet.write_string(5, 1, "Police").unwrap();
    sheet
        .write_string(5, 2, "Neighbours reported shouting")
        .unwrap();
    sheet.write_number(5, 6, 1234567.25).unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn an_xlsx_from_a_writer_library_gives_iso_dates_and_plain_numbers() {
    let bytes = xlsxwriter_workbook();
    // The first sheet with anything in it is the prose one...
    let first = read_table(&bytes, "c.xlsx", FileFormat::Xlsx).unwrap();
    assert_eq!(first.sheet.as_deref(), Some("About"));
    assert_eq!(first.sheets, strings(&["About", "Chronology"]));
    assert!(first.rows.is_empty());
    // ...and a chronology is looked for by its headers, or named.
    let looks_right = |h: &[String]| h.iter().any(|x| x == "Date");
    let t = read_table_from(
        &bytes,
        "c.xlsx",
        FileFormat::Xlsx,
        SheetChoice::FirstMatching(&looks_right),
    )
    .unwrap();
    let named = read_table_from(
        &bytes,
        "c.xlsx",
        FileFormat::Xlsx,
        SheetChoice::Named("Chronology"),
    )
    .unwrap();
    assert_eq!(t, named);
    assert_eq!(t.sheet.as_deref(), Some("Chronology"));
    assert_eq!(t.delimiter, None);
    assert_eq!(
        t.headers,
        strings(&[
            "Date",
            "Agency",
            "Event",
            "Ref",
            "Key episode",
            "Missed opportunity",
            "Score"
        ])
    );
    assert_eq!(
        cells(&t),
        vec![
            (
                2,
                strings(&[
                    "2009-04-03",
                    "Children's Services",
                    "Referral received from school",
                    "12",
                    "Yes",
                    "TRUE",
                    "0.3"
                ])
            ),
            (
                3,
                strings(&[
                    "2009-04-03 14:30",
                    "Police",
                    "Domestic abuse call-out",
                    "1.5",
                    "",
                    "Yes - no referral to children's social care",
                    ""
                ])
            ),
            (
                5,
                strings(&[
                    "Sept 2008",
                    "Health",
                    "Missed health visitor appointment",
                    "",
                    "",
                    "",
                    "-3"
                ])
            ),
            (
                6,
                strings(&[
                    "c. summer 2009",
                    "Police",
                    "Neighbours reported shouting",
                    "",
                    "",
                    "",
                    "1234567.25"
                ])
            ),
        ]
    );
    let err = read_table_from(
        &bytes,
        "c.xlsx",
        FileFormat::Xlsx,
        SheetChoice::Named("Sheet9"),
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(
        err.to_string()
            .contains("its sheets are: About, Chronology"),
        "{err}"
    );

    // Imported: the chronology sheet is found by itself; agencies are created once each.
    let mut f = fresh();
    let path = write(f.dir.path(), "children.xlsx", &bytes);
    let preview = f.review.preview_chronology_import(&path, None).unwrap();
    assert_eq!(preview.sheet.as_deref(), Some("Chronology"));
    assert_eq!(preview.mapping.sheet.as_deref(), Some("Chronology"));
    assert_eq!(
        (
            preview.mapping.date,
            preview.mapping.agency,
            preview.mapping.event,
            preview.mapping.source
        ),
        (Some(0), Some(1), Some(2), Some(3))
    );
    assert_eq!(preview.mapping.significance, Some(4));
    assert_eq!(preview.mapping.missed_opportunity, Some(5));
    assert_eq!(
        preview.new_agencies,
        strings(&["Children's Services", "Police", "Health"])
    );
    let result = import(&mut f.review, &path, &preview.mapping);
    assert_eq!(result.added, 4);
    assert_eq!(
        result
            .new_agencies
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>(),
        ["Children's Services", "Police", "Health"]
    );
    let entries = all(&f.review);
    let summary: Vec<(NaiveDate, DatePrecision, Option<NaiveDate>, &str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e.date,
                e.precision,
                e.end_date,
                e.date_text.as_str(),
                e.source_locator.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                d(2008, 9, 1),
                DatePrecision::Month,
                None,
                "Sept 2008",
                "children.xlsx row 5"
            ),
            (d(2009, 4, 3), DatePrecision::Day, None, "2009-04-03", "12"),
            (
                d(2009, 4, 3),
                DatePrecision::Day,
                None,
                "2009-04-03 14:30",
                "1.5"
            ),
            (
                d(2009, 6, 1),
                DatePrecision::Approximate,
                Some(d(2009, 8, 31)),
                "c. summer 2009",
                "children.xlsx row 6"
            ),
        ]
    );
    // "Yes" in a key-episode column is a key practice episode; the missed opportunity keeps
    // the words after "Yes -" as its rationale.
    assert_eq!(entries[1].significance, Significance::KeyPracticeEpisode);
    assert!(entries[1].missed_opportunity);
    assert!(
        entries[1].missed_rationale.starts_with(MISSING_RATIONALE),
        "{}",
        entries[1].missed_rationale
    );
    assert!(entries[2].missed_opportunity);
    assert_eq!(
        entries[2].missed_rationale,
        "no referral to children's social care"
    );
    assert_eq!(agency_name(&f.review, &entries[3]), "Police");
    assert_eq!(entries[3].agency_id, entries[2].agency_id);
}

#[test]
fn an_xlsx_written_by_libreoffice_imports_with_its_date_cells() {
    let mut f = fresh();
    let csv = write(
        f.dir.path(),
        "police-chronology.csv",
        "Date,Details,Source,Significance\n\
         2009-04-03,Domestic abuse call-out to the family home,Log 0412,Significant\n\
         03/05/2009,Arrest of father for assault,Log 0588,KPE\n\
         Sept 2008,First contact with the family,Log 0017,\n\
         early 2005,Mother reported missing,Log 0001,routine\n"
            .as_bytes(),
    );
    let police = soffice_convert(&csv, "xlsx:Calc MS Excel 2007 XML", f.dir.path());
    let bytes = std::fs::read(&police).unwrap();
    // LibreOffice stored the ISO date as a serial day number in a date-formatted cell.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(sheet.contains("<v>39906</v>"), "{sheet}");
    let t = read_table(&bytes, "police.xlsx", FileFormat::Xlsx).unwrap();
    assert_eq!(
        t.headers,
        strings(&["Date", "Details", "Source", "Significance"])
    );
    // The date cell comes back as the same day.
    assert_eq!(t.rows[0].cells[0], "2009-04-03");
    assert_eq!(t.rows[1].cells[0], "03/05/2009");
    assert_eq!(
        t.rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        [2, 3, 4, 5]
    );

    let mapping = ColumnMapping {
        default_agency: Some("Northshire Police".into()),
        ..guessed(&f.review, &police)
    };
    let result = import(&mut f.review, &police, &mapping);
    assert_eq!(result.added, 4);
    assert!(result.failed.is_empty());
    let entries = all(&f.review);
    let got: Vec<(NaiveDate, DatePrecision, &str, Significance)> = entries
        .iter()
        .map(|e| {
            (
                e.date,
                e.precision,
                e.source_locator.as_str(),
                e.significance,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                d(2005, 1, 1),
                DatePrecision::Approximate,
                "Log 0001",
                Significance::Routine
            ),
            (
                d(2008, 9, 1),
                DatePrecision::Month,
                "Log 0017",
                Significance::Routine
            ),
            (
                d(2009, 4, 3),
                DatePrecision::Day,
                "Log 0412",
                Significance::Significant
            ),
            (
                d(2009, 5, 3),
                DatePrecision::Day,
                "Log 0588",
                Significance::KeyPracticeEpisode
            ),
        ]
    );
    assert!(entries
        .iter()
        .all(|e| agency_name(&f.review, e) == "Northshire Police"));
    assert_eq!(entries[0].end_date, Some(d(2005, 4, 30)));
}

/// A zip with the given parts (name, bytes), deflated.
fn zip_of(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    for (name, bytes) in parts {
        w.start_file(*name, options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Sets the size a zip declares for `part` (in its local header and central directory).
fn lie_about_size(zip: &mut [u8], part: &str, size: u32) {
    let name = part.as_bytes();
    let mut patched = 0;
    for i in 0..zip.len().saturating_sub(46) {
        if zip[i..].starts_with(b"PK\x01\x02") {
            let len = u16::from_le_bytes([zip[i + 28], zip[i + 29]]) as usize;
            if &zip[i + 46..i + 46 + len] == name {
                zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
                patched += 1;
            }
        } else if zip[i..].starts_with(b"PK\x03\x04") {
            let len = u16::from_le_bytes([zip[i + 26], zip[i + 27]]) as usize;
            let flags = u16::from_le_bytes([zip[i + 6], zip[i + 7]]);
            if zip.len() > i + 30 + len && &zip[i + 30..i + 30 + len] == name && flags & 8 == 0 {
                zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
            }
        }
    }
    assert_eq!(patched, 1, "{part} not found in the central directory");
}

#[test]
fn hostile_or_broken_workbooks_are_refused_each_with_its_reason() {
    let reason = |bytes: &[u8]| match read_table(bytes, "bad.xlsx", FileFormat::Xlsx) {
        Err(threadline::Error::BadDocument { name, reason }) => {
            assert_eq!(name, "bad.xlsx");
            reason
        }
        other => panic!("expected a refusal, got {other:?}"),
    };
    let real = xlsxwriter_workbook();

    let bomb = zip_of(&[
        ("[Content_Types].xml", b"<Types/>".to_vec()),
        ("xl/worksheets/sheet1.xml", vec![0u8; 65 * 1024 * 1024]),
    ]);
    assert!(bomb.len() < 1024 * 1024);
    assert_eq!(
        reason(&bomb),
        "part xl/worksheets/sheet1.xml would inflate past 64 MB"
    );

    let dense = zip_of(&[("xl/sharedStrings.xml", vec![b' '; 2 * 1024 * 1024])]);
    assert_eq!(
        reason(&dense),
        "part xl/sharedStrings.xml would inflate to more than 100 times its compressed size"
    );

    let many: Vec<(String, Vec<u8>)> = (0..1_001)
        .map(|i| (format!("part{i}.xml"), vec![b'x']))
        .collect();
    let many: Vec<(&str, Vec<u8>)> = many.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    assert_eq!(reason(&zip_of(&many)), "it holds more than 1,000 parts");

    // A part whose header says it is small inflates past that size: the zip reader stops it.
    let mut liar = real.clone();
    lie_about_size(&mut liar, "xl/worksheets/sheet1.xml", 20);
    let r = reason(&liar);
    assert!(r.contains("declared"), "{r}");

    let truncated = &real[..real.len() / 2];
    assert!(
        reason(truncated).contains("zip structure is damaged"),
        "{}",
        reason(truncated)
    );
    assert_eq!(
        reason(b"Date,Event\n1/1/2009,x\n"),
        "it is not an Excel workbook (an .xlsx file is a zip archive and this is not one)"
    );
    assert!(reason(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).contains("old Excel (.xls)"));
    assert!(
        reason(&zip_of(&[("hello.txt", b"hi".to_vec())])).contains("not a readable Excel workbook")
    );

    // Refused files leave the review as it was.
    let mut f = fresh();
    let before = interchange::dump(&f.review).unwrap();
    let path = write(f.dir.path(), "bomb.xlsx", &bomb);
    let err = f
        .review
        .import_chronology(
            &path,
            &ColumnMapping {
                date: Some(0),
                event: Some(1),
                ..Default::default()
            },
            &mut quiet(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "bad_document");
    assert_eq!(
        err.to_string(),
        "bomb.xlsx cannot be imported: part xl/worksheets/sheet1.xml would inflate past 64 MB; nothing was imported"
    );
    assert_eq!(interchange::dump(&f.review).unwrap(), before);
}

// ---- preview and import ----

const MIXED: &str = "Date,Agency,Event,End date\n\
    03/04/2009,Police,Call-out to the home,\n\
    31/02/2009,Police,An impossible day,\n\
    ,School,No date given,\n\
    05/04/2009,School,,\n\
    Sept 2008,Health,Missed appointment,\n\
    next Tuesday,Health,Unreadable date,\n\
    10/04/2009,School,Stay with grandparents,01/04/2009\n\
    10/04/2009,School,Stay with grandparents,20/04/2009\n\
    03/04/2009,police,Call-out  to the HOME,\n";

#[test]
fn the_preview_shows_every_row_and_writes_nothing() {
    let mut f = fresh();
    add_agency(&mut f.review, "Northshire Police", "Police");
    let path = write(f.dir.path(), "mixed.csv", MIXED.as_bytes());
    let before = interchange::dump(&f.review).unwrap();
    let undo = f.review.undo_state().unwrap();

    let p = f.review.preview_chronology_import(&path, None).unwrap();
    assert_eq!(p.file_name, "mixed.csv");
    assert_eq!(p.format, FileFormat::Csv);
    assert_eq!(p.encoding, "UTF-8");
    assert_eq!(p.delimiter, Some(','));
    assert_eq!(p.headers, strings(&["Date", "Agency", "Event", "End date"]));
    assert_eq!(
        p.mapping,
        ColumnMapping {
            date: Some(0),
            agency: Some(1),
            event: Some(2),
            end_date: Some(3),
            ..Default::default()
        }
    );
    assert!(p.problems.is_empty());
    let outcome: Vec<(usize, RowStatus, Option<&str>)> = p
        .rows
        .iter()
        .map(|r| (r.row, r.status, r.reason.as_deref()))
        .collect();
    assert_eq!(
        outcome,
        [
            (2, RowStatus::Ready, None),
            (3, RowStatus::Failed, Some("'31/02/2009' is not a real date: February 2009 has no day 31")),
            (4, RowStatus::Failed, Some("it has no date")),
            (5, RowStatus::Failed, Some("it has no event text")),
            (6, RowStatus::Ready, None),
            (7, RowStatus::Failed, Some("'next Tuesday' is not a date Threadline can read; write it like 12/03/2021, 12 March 2021, March 2021, 2021, c. 2019 or summer 2019")),
            (8, RowStatus::Failed, Some("the end date '01/04/2009' is before the date '10/04/2009'")),
            (9, RowStatus::Ready, None),
            (10, RowStatus::Duplicate, Some("it repeats row 2")),
        ]
    );
    assert_eq!((p.ready, p.duplicates, p.failed), (3, 1, 5));
    // "Police" is the short name of an agency the review has; the others are new.
    assert_eq!(p.rows[0].agency.as_deref(), Some("Northshire Police"));
    assert!(!p.rows[0].agency_is_new);
    assert_eq!(p.rows[4].agency.as_deref(), Some("Health"));
    assert!(p.rows[4].agency_is_new);
    // School first appears on row 4, which fails, but row 9 still needs it.
    assert_eq!(p.new_agencies, strings(&["School", "Health"]));
    assert_eq!(p.rows[4].date, Some(d(2008, 9, 1)));
    assert_eq!(p.rows[4].precision, Some(DatePrecision::Month));
    assert_eq!(p.rows[7].end_date, Some(d(2009, 4, 20)));
    assert_eq!(p.rows[8].duplicate_of_row, Some(2));

    // A mapping without a date column is shown with the problem, not refused.
    let p2 = f
        .review
        .preview_chronology_import(
            &path,
            Some(ColumnMapping {
                event: Some(2),
                ..Default::default()
            }),
        )
        .unwrap();
    assert_eq!(p2.problems, strings(&["no column is chosen for the date"]));
    assert_eq!(p2.ready, 0);
    assert!(p2.rows.iter().all(|r| r.status == RowStatus::Failed));
    let err = f
        .review
        .preview_chronology_import(
            &path,
            Some(ColumnMapping {
                date: Some(0),
                event: Some(7),
                ..Default::default()
            }),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "mapping.event: column 8 is past the file's last column (4)"
    );

    assert_eq!(interchange::dump(&f.review).unwrap(), before);
    assert_eq!(f.review.undo_state().unwrap(), undo);
}

#[test]
fn failing_rows_are_listed_and_the_rest_import_as_one_undoable_change() {
    let mut f = fresh();
    add_agency(&mut f.review, "Northshire Police", "Police");
    let path = write(f.dir.path(), "mixed.csv", MIXED.as_bytes());
    let before = interchange::dump(&f.review).unwrap();
    let mapping = guessed(&f.review, &path);
    let mut calls = Vec::new();
    let result = f
        .review
        .import_chronology(&path, &mapping, &mut |p| calls.push(p))
        .unwrap();
    assert_eq!(result.added, 3);
    assert_eq!(result.duplicates, 1);
    let failed: Vec<usize> = result.failed.iter().map(|p| p.row).collect();
    assert_eq!(failed, [3, 4, 5, 7, 8]);
    assert_eq!(
        result.failed[1],
        RowProblem {
            row: 4,
            reason: "it has no date".into()
        }
    );
    assert_eq!(
        result
            .new_agencies
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>(),
        ["School", "Health"]
    );
    let entries = all(&f.review);
    let got: Vec<(NaiveDate, String, String, Option<NaiveDate>)> = entries
        .iter()
        .map(|e| {
            (
                e.date,
                agency_name(&f.review, e),
                e.event.clone(),
                e.end_date,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                d(2008, 9, 1),
                "Health".into(),
                "Missed appointment".into(),
                None
            ),
            (
                d(2009, 4, 3),
                "Northshire Police".into(),
                "Call-out to the home".into(),
                None
            ),
            (
                d(2009, 4, 10),
                "School".into(),
                "Stay with grandparents".into(),
                Some(d(2009, 4, 20))
            ),
        ]
    );
    // Progress: a bounded number of calls, ending with everything done.
    assert!(calls.len() <= 110, "{} calls", calls.len());
    let last = calls.last().unwrap();
    assert_eq!((last.done, last.total), (3, 3));
    assert_eq!(calls[0].stage, "Reading mixed.csv");

    // One change, one undo: entries and the agencies it created go; redo brings them back.
    assert_eq!(f.review.undo().unwrap(), "Import chronology mixed.csv");
    assert_eq!(interchange::dump(&f.review).unwrap(), before);
    f.review.redo().unwrap();
    assert_eq!(all(&f.review), entries);
    assert_eq!(f.review.agencies().unwrap().len(), 3);
}

#[test]
fn importing_the_same_file_again_adds_nothing() {
    let mut f = fresh();
    let path = write(f.dir.path(), "mixed.csv", MIXED.as_bytes());
    let mapping = guessed(&f.review, &path);
    assert_eq!(import(&mut f.review, &path, &mapping).added, 3);
    let after_first = interchange::dump(&f.review).unwrap();
    let undo = f.review.undo_state().unwrap();

    let again = import(&mut f.review, &path, &mapping);
    assert_eq!(again.added, 0);
    assert_eq!(again.duplicates, 4);
    assert!(again.new_agencies.is_empty());
    assert_eq!(again.failed.len(), 5);
    assert_eq!(interchange::dump(&f.review).unwrap(), after_first);
    assert_eq!(f.review.undo_state().unwrap(), undo);

    // The preview says which entry each row repeats.
    let p = f.review.preview_chronology_import(&path, None).unwrap();
    assert_eq!(p.ready, 0);
    let entry = &p.rows[0];
    assert_eq!(entry.status, RowStatus::Duplicate);
    assert_eq!(
        entry.reason.as_deref(),
        Some("the chronology already has this entry")
    );
    let existing = f
        .review
        .chronology_entry(entry.duplicate_of_entry.as_ref().unwrap())
        .unwrap();
    assert_eq!(existing.event, "Call-out to the home");

    // The same event from a file with extra spaces and other capitals is the same entry.
    let shifted = write(
        f.dir.path(),
        "shifted.csv",
        b"When;Organisation;Description\n3/4/2009;POLICE;  call-out TO the   home \n",
    );
    let m = guessed(&f.review, &shifted);
    let r = import(&mut f.review, &shifted, &m);
    assert_eq!((r.added, r.duplicates), (0, 1));
}

#[test]
fn partial_and_uncertain_dates_are_stored_with_their_precision_and_original_text() {
    let mut f = fresh();
    let path = write(
        f.dir.path(),
        "dates.csv",
        "Date,Event\n\
         2004,Family arrived in the area\n\
         Sept 2008,School place offered\n\
         c. summer 2009,Father moved back in\n\
         ?/10/2010,Referral to early help\n\
         early 2005,Mother's first pregnancy\n\
         between 3 and 5 March 2010,Child stayed with aunt\n\
         39906,Serial date from a spreadsheet\n"
            .as_bytes(),
    );
    let mapping = guessed(&f.review, &path);
    assert_eq!(import(&mut f.review, &path, &mapping).added, 7);
    let got: Vec<(String, NaiveDate, DatePrecision, Option<NaiveDate>)> = all(&f.review)
        .into_iter()
        .map(|e| (e.date_text, e.date, e.precision, e.end_date))
        .collect();
    use DatePrecision::*;
    assert_eq!(
        got,
        [
            ("2004".into(), d(2004, 1, 1), Year, None),
            (
                "early 2005".into(),
                d(2005, 1, 1),
                Approximate,
                Some(d(2005, 4, 30))
            ),
            ("Sept 2008".into(), d(2008, 9, 1), Month, None),
            ("39906".into(), d(2009, 4, 3), Day, None),
            (
                "c. summer 2009".into(),
                d(2009, 6, 1),
                Approximate,
                Some(d(2009, 8, 31))
            ),
            (
                "between 3 and 5 March 2010".into(),
                d(2010, 3, 3),
                Day,
                Some(d(2010, 3, 5))
            ),
            ("?/10/2010".into(), d(2010, 10, 1), Month, None),
        ]
    );
}

#[test]
fn two_agencies_files_merge_into_one_integrated_order() {
    let mut f = fresh();
    // The police send a semicolon CSV without an agency column; the school an xlsx with one.
    let police = write(
        f.dir.path(),
        "police.csv",
        "Date;Event;Reference\n\
         05/03/2009;Call-out, neighbours;P1\n\
         March 2009;Intelligence report;P2\n\
         01/03/2009;Call-out, mother;P3\n\
         2009;Flag placed on address;P4\n"
            .as_bytes(),
    );
    let school_book = {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut book = Workbook::new();
        let s = book.add_worksheet();
        let day = Format::new().set_num_format("dd/mm/yyyy");
        for (c, h) in ["Date", "Agency", "Entry"].iter().enumerate() {
            s.write_string(0, c as u16, *h).unwrap();
        }
        s.write_datetime_with_format(1, 0, ExcelDateTime::from_ymd(2009, 3, 1).unwrap(), &day)
            .unwrap();
        s.write_string(1, 1, "Riverside Primary").unwrap();
        s.write_string(1, 2, "Child arrived with bruising").unwrap();
        s.write_string(2, 0, "c. March 2009").unwrap();
        s.write_string(2, 1, "Riverside Primary").unwrap();
        s.write_string(2, 2, "Attendance started to fall").unwrap();
        s.write_string(3, 0, "02/01/2009").unwrap();
        s.write_string(3, 1, "Riverside Primary").unwrap();
        s.write_string(3, 2, "Term starts").unwrap();
        book.save_to_buffer().unwrap()
    };
    let school = write(f.dir.path(), "school.xlsx", &school_book);

    let police_mapping = ColumnMapping {
        default_agency: Some("Northshire Police".into()),
        ..guessed(&f.review, &police)
    };
    assert_eq!(police_mapping.source, Some(2));
    import(&mut f.review, &police, &police_mapping);
    let school_mapping = guessed(&f.review, &school);
    import(&mut f.review, &school, &school_mapping);

    let merged: Vec<(String, String)> = all(&f.review)
        .iter()
        .map(|e| (agency_name(&f.review, e), e.event.clone()))
        .collect();
    let expected = [
        ("Northshire Police", "Flag placed on address"),
        ("Riverside Primary", "Term starts"),
        ("Riverside Primary", "Attendance started to fall"),
        ("Northshire Police", "Intelligence report"),
        ("Northshire Police", "Call-out, mother"),
        ("Riverside Primary", "Child arrived with bruising"),
        ("Northshire Police", "Call-out, neighbours"),
    ];
    assert_eq!(
        merged,
        expected
            .iter()
            .map(|(a, e)| (a.to_string(), e.to_string()))
            .collect::<Vec<_>>()
    );
    // The day entries of 1 March keep the order they came in: police first, then school.
    let day: Vec<i64> = all(&f.review)
        .iter()
        .filter(|e| e.date == d(2009, 3, 1) && e.precision == DatePrecision::Day)
        .map(|e| e.seq)
        .collect();
    assert_eq!(day.len(), 2);
    assert!(day[0] < day[1], "{day:?}");
}

#[test]
fn an_import_is_refused_without_date_or_event_column_rows_or_a_table_format() {
    let mut f = fresh();
    let dir = f.dir.path().to_owned();
    let good = write(&dir, "good.csv", MIXED.as_bytes());
    let before = interchange::dump(&f.review).unwrap();
    let undo = f.review.undo_state().unwrap();
    let mut try_import = |path: &Path, mapping: ColumnMapping| {
        f.review
            .import_chronology(path, &mapping, &mut quiet())
            .unwrap_err()
    };
    let err = try_import(
        &good,
        ColumnMapping {
            event: Some(2),
            ..Default::default()
        },
    );
    assert_eq!(
        err.to_string(),
        "mapping.date: choose the column that holds each row's date"
    );
    let err = try_import(
        &good,
        ColumnMapping {
            date: Some(0),
            ..Default::default()
        },
    );
    assert_eq!(
        err.to_string(),
        "mapping.event: choose the column that holds what happened"
    );
    let mapping = ColumnMapping {
        date: Some(0),
        event: Some(1),
        ..Default::default()
    };
    let err = try_import(
        &good,
        ColumnMapping {
            people: Some(4),
            ..mapping.clone()
        },
    );
    assert_eq!(
        err.to_string(),
        "mapping.people: column 5 is past the file's last column (4)"
    );
    let err = try_import(
        &write(&dir, "header.csv", b"Date,Event\n\n,\n"),
        mapping.clone(),
    );
    assert_eq!(
        err.to_string(),
        "header.csv cannot be imported: it has a header row but no rows below it; nothing was imported"
    );
    let err = try_import(&write(&dir, "empty.csv", b""), mapping.clone());
    assert_eq!(
        err.to_string(),
        "empty.csv cannot be imported: it is empty; nothing was imported"
    );
    let err = try_import(&write(&dir, "imr.docx", b"PK"), mapping.clone());
    assert_eq!(err.code(), "unsupported");
    assert_eq!(
        err.to_string(),
        "imr.docx is a Word file, which Threadline cannot import; chronologies are imported \
         from .csv or .xlsx files (import an IMR as a source document instead)"
    );
    let err = try_import(&write(&dir, "old.xls", b"x"), mapping.clone());
    assert_eq!(err.code(), "unsupported");
    let err = try_import(&dir.join("missing.csv"), mapping.clone());
    assert_eq!(err.code(), "io");
    assert_eq!(interchange::dump(&f.review).unwrap(), before);
    assert_eq!(f.review.undo_state().unwrap(), undo);
}

#[test]
fn significance_missed_opportunities_and_people_are_read_leniently() {
    let mut f = fresh();
    let mum = f
        .review
        .add_person(PersonInput {
            category: PersonCategory::Person,
            real_name: "Jane Doe".into(),
            aliases: vec!["Mum".into()],
            pseudonym: "Mother".into(),
            role: String::new(),
            relation: String::new(),
            safe_to_name: false,
        })
        .unwrap()
        .id;
    let child = f
        .review
        .add_person(PersonInput {
            category: PersonCategory::Person,
            real_name: "Sam Doe".into(),
            aliases: Vec::new(),
            pseudonym: "Child S".into(),
            role: String::new(),
            relation: String::new(),
            safe_to_name: false,
        })
        .unwrap()
        .id;
    let path = write(
        f.dir.path(),
        "flags.csv",
        "Date\tEvent\tSignificance\tMissed opportunity\tWhy\tPeople\n\
         01/01/2009\tone\tKey practice episode\tY\tNo strategy meeting held\tMum; Child S\n\
         02/01/2009\ttwo\tsignificant\tNo\t\tjane doe and CHILD S\n\
         03/01/2009\tthree\tHigh\tx\t\tMother, Uncle Bob\n\
         04/01/2009\tfour\t\tThe referral was not followed up\t\t\n\
         05/01/2009\tfive\tpurple\tn/a\tignored when not missed\t\n\
         06/01/2009\tsix\tkpe\tTRUE\t\t\n\
         07/01/2009\tseven\t\tNo - the response was timely\t\t\n\
         08/01/2009\teight\t\tNo referral was made to MASH\t\t\n\
         09/01/2009\tnine\t\tyes: the strategy meeting was late\t\t\n"
            .as_bytes(),
    );
    let mapping = guessed(&f.review, &path);
    assert_eq!(mapping.rationale, Some(4));
    assert_eq!(mapping.people, Some(5));
    let result = import(&mut f.review, &path, &mapping);
    assert_eq!(result.added, 9);
    let warned: Vec<(usize, &str)> = result
        .warnings
        .iter()
        .map(|w| (w.row, w.reason.as_str()))
        .collect();
    assert_eq!(
        warned,
        [
            (4, "a missed opportunity without a rationale; not in the people register, so not linked: Uncle Bob"),
            (6, "significance 'purple' was not understood, so the entry is routine"),
            (7, "a missed opportunity without a rationale"),
        ]
    );
    let e = all(&f.review);
    let got: Vec<(Significance, bool, String, Vec<String>)> = e
        .iter()
        .map(|e| {
            (
                e.significance,
                e.missed_opportunity,
                e.missed_rationale.clone(),
                e.people.clone(),
            )
        })
        .collect();
    use Significance::*;
    assert_eq!(
        got,
        [
            (
                KeyPracticeEpisode,
                true,
                "No strategy meeting held".into(),
                vec![mum.clone(), child.clone()]
            ),
            (
                Significant,
                false,
                String::new(),
                vec![mum.clone(), child.clone()]
            ),
            (
                Significant,
                true,
                format!("{MISSING_RATIONALE} (flags.csv row 4)"),
                vec![mum.clone()]
            ),
            (
                Routine,
                true,
                "The referral was not followed up".into(),
                vec![]
            ),
            (Routine, false, String::new(), vec![]),
            (
                KeyPracticeEpisode,
                true,
                format!("{MISSING_RATIONALE} (flags.csv row 7)"),
                vec![]
            ),
            (Routine, false, String::new(), vec![]),
            (Routine, true, "No referral was made to MASH".into(), vec![]),
            (
                Routine,
                true,
                "the strategy meeting was late".into(),
                vec![]
            ),
        ]
    );
}

// ---- robustness ----

fn sample_csv() -> Vec<u8> {
    windows_1252(
        "Date;Agency;Event;Source\n03/04/2009;Police;\"Visit; \"\"quoted\"\"\nover lines\";P1\n\
         Sept 2008;Sch\u{f6}ol;Caf\u{e9} \u{a3}5;\n,,,\n",
    )
}

fn sample_xlsx() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(xlsxwriter_workbook)
}

/// Ok, or a clean refusal: never a panic, never another kind of error.
fn clean(result: threadline::Result<Table>) -> std::result::Result<(), TestCaseError> {
    match result {
        Ok(t) => {
            for r in &t.rows {
                prop_assert_eq!(r.cells.len(), t.headers.len());
            }
            Ok(())
        }
        Err(e) => {
            prop_assert!(matches!(e.code(), "bad_document" | "invalid"), "{}", e);
            Ok(())
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic_the_table_readers(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        clean(read_table(&bytes, "r.csv", FileFormat::Csv))?;
        clean(read_table(&bytes, "r.xlsx", FileFormat::Xlsx))?;
        let mut zipped = b"PK\x03\x04".to_vec();
        zipped.extend_from_slice(&bytes);
        clean(read_table(&zipped, "r.xlsx", FileFormat::Xlsx))?;
    }

    #[test]
    fn mutated_real_files_never_panic_the_table_readers(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        for (original, format) in [(sample_csv(), FileFormat::Csv), (sample_xlsx().to_vec(), FileFormat::Xlsx)] {
            let mut bytes = original;
            for (at, byte) in &edits {
                let i = at.index(bytes.len());
                bytes[i] = *byte;
            }
            if truncate {
                bytes.truncate(cut.index(bytes.len()));
            }
            clean(read_table(&bytes, "m", format))?;
        }
    }

    #[test]
    fn any_text_never_panics_the_date_reader(text in "\\PC{0,40}", datey in "[0-9?x/ .:-]{0,12}( (to|and|-) )?[a-z0-9 ?]{0,14}") {
        let _ = parse_loose_span(&text);
        let _ = parse_loose_span(&datey);
        let _ = parse_loose_span(&format!("between {datey} and {text}"));
        let _ = parse_loose_span(&format!("early {datey}"));
    }
}
