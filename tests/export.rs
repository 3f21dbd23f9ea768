//! Exports, checked with real readers: LibreOffice turns the Word files into PDF (read back
//! with pdftotext) and the workbooks into CSV; python-docx opens the Word files on its own;
//! Threadline's own chronology importer reads the exported workbook back.

use std::collections::{BTreeSet, HashMap};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use threadline::export::table::neutralise;
use threadline::export::{
    export, export_to_file, ExportDoc, ExportFormat, ExportProgress, ExportRequest,
};
use threadline::model::chronology::{ChronologyFilter, ChronologyInput};
use threadline::model::recommendations::{ActionInput, RecommendationInput};
use threadline::model::sections::{Document, SectionInput};
use threadline::report::{Block, CitationStyle, Inline, RenderOptions, RenderedDocument};
use threadline::{Error, Review};

use crate::common::office::soffice_convert;
use crate::common::{ctx, fresh};
use crate::report::case;

/// The demo review in a temporary folder, open.
fn demo() -> (tempfile::TempDir, Review) {
    let dir = tempfile::tempdir().unwrap();
    let review = threadline::demo::build_demo(&dir.path().join("demo.threadline"), ctx()).unwrap();
    (dir, review)
}

fn request(doc: ExportDoc, format: ExportFormat, citations: CitationStyle) -> ExportRequest {
    ExportRequest {
        citations,
        ..ExportRequest::new(doc, format)
    }
}

fn bytes(review: &Review, req: &ExportRequest) -> Vec<u8> {
    export(review, req, &mut |_| {}).unwrap()
}

fn write(dir: &Path, name: &str, data: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, data).unwrap();
    path
}

/// The text of a PDF with every run of white space made one space.
fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: scripts/setup.sh installs it");
    assert!(out.status.success(), "pdftotext failed");
    squash(&String::from_utf8(out.stdout).unwrap())
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Finds each needle after the previous one; fails naming the first that is out of order.
fn in_order(text: &str, from: usize, needles: &[String]) -> usize {
    let mut at = from;
    for n in needles {
        let n = squash(n);
        match text[at..].find(&n) {
            Some(i) => at += i + n.len(),
            None => panic!(
                "{n:?} not found in order after byte {at}; the text there reads: {:?}",
                &text[at..(at + 300).min(text.len())]
            ),
        }
    }
    at
}

/// The citations of a rendered document, one per mark, in reading order.
fn marks(doc: &RenderedDocument) -> Vec<u32> {
    fn walk(blocks: &[Block], out: &mut Vec<u32>) {
        for b in blocks {
            match b {
                Block::Heading { content, .. } | Block::Paragraph { content } => {
                    out.extend(content.iter().filter_map(|i| match i {
                        Inline::Citation { number } => Some(*number),
                        _ => None,
                    }))
                }
                Block::List { items, .. } => items.iter().for_each(|i| walk(i, out)),
                Block::Quote { blocks } => walk(blocks, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for s in &doc.sections {
        walk(&s.blocks, &mut out);
    }
    out
}

/// The XML parts of a .docx, by name.
fn parts(docx: &[u8]) -> HashMap<String, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip file");
    let mut out = HashMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = String::from_utf8_lossy(f.name_raw()).into_owned();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        out.insert(name, text);
    }
    out
}

/// Every value of attribute `attr` on elements named `element` in `xml` (checked to be well
/// formed on the way).
fn attr_values(xml: &str, element: &str, attr: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().0 == element => {
                for a in e.attributes() {
                    let a = a.unwrap();
                    if a.key.0 == attr {
                        out.push(a.value.into_owned());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Runs a python-docx script over `docx` (as `sys.argv[1]`) and returns what it prints.
fn python_docx(docx: &Path, script: &str) -> serde_json::Value {
    let out = Command::new("/usr/bin/python3")
        .arg("-c")
        .arg(script)
        .arg(docx)
        .output()
        .expect("python3 with python-docx (apt python3-docx) must be installed: scripts/setup.sh installs it");
    assert!(
        out.status.success(),
        "python-docx could not read {}: {}",
        docx.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

const READ_DOCX: &str = r#"
import docx, json, sys
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
d = docx.Document(sys.argv[1])
# Every paragraph in order, including those in the contents (a content control) and tables.
paragraphs = [Paragraph(p, d._body) for p in d.element.body.iter(qn("w:p"))]
print(json.dumps({
    "paragraphs": [[p.style.style_id, p.style.name, p.text] for p in paragraphs],
    "tables": [[t.style.name if t.style is not None else None, len(t.rows), len(t.columns)] for t in d.tables],
    "title": d.core_properties.title,
    "author": d.core_properties.author,
    "subject": d.core_properties.subject,
    "sections": [[s.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE] for s in d.sections],
}))
"#;

/// The demo with a section listing every recommendation, so each R-number is in the report.
fn demo_with_recommendations() -> (tempfile::TempDir, Review) {
    let (dir, mut review) = demo();
    review
        .add_section(SectionInput {
            document: Document::Overview,
            heading: "Recommendations in full".into(),
            body: "The recommendations, by who made them.\n\n[[block:recommendations]]\n".into(),
        })
        .unwrap();
    (dir, review)
}

#[test]
fn the_overview_docx_reads_in_libreoffice_with_headings_recommendations_and_footnotes_in_order() {
    let (dir, review) = demo_with_recommendations();
    let rendered = review
        .render_document(Document::Overview, &RenderOptions::default())
        .unwrap();
    let docx = bytes(
        &review,
        &request(
            ExportDoc::Overview,
            ExportFormat::Docx,
            CitationStyle::Footnotes,
        ),
    );
    let path = write(dir.path(), "overview.docx", &docx);
    let pdf = soffice_convert(&path, "pdf", dir.path());
    let text = pdf_text(&pdf);

    // The title page, then the contents listing every section, then the sections in order.
    let mut headings: Vec<String> = rendered
        .sections
        .iter()
        .map(|s| s.heading.clone())
        .collect();
    headings.push("Appendix: coverage of the terms of reference".into());
    let mut front = vec![
        rendered.title.clone(),
        "Overview report".into(),
        "Contents".into(),
    ];
    front.extend(headings.iter().cloned());
    let body = in_order(&text, 0, &front);
    in_order(&text, body, &headings);

    // Every recommendation, by its own number, in the live block.
    let recs = review.recommendations().unwrap();
    assert!(recs.len() >= 12);
    let start = text.find("The recommendations, by who made them.").unwrap();
    let needles: Vec<String> = recs
        .iter()
        .map(|r| {
            let words: Vec<&str> = r.text.split_whitespace().take(4).collect();
            format!("R{} {}", r.number, words.join(" "))
        })
        .collect();
    in_order(&text, start, &needles);

    // Each citation mark is a footnote holding what it cites, in order.
    let notes: Vec<String> = marks(&rendered)
        .into_iter()
        .map(|n| {
            let c = &rendered.citations[n as usize - 1];
            c.note_text().chars().take(40).collect()
        })
        .collect();
    assert!(notes.len() > 40, "the demo cites plenty: {}", notes.len());
    in_order(&text, 0, &notes);

    // The footnotes are Word footnotes, one per mark.
    let parts = parts(&docx);
    let footnotes = attr_values(&parts["word/footnotes.xml"], "w:footnote", "w:id");
    assert_eq!(footnotes.len(), notes.len() + 2, "plus the two separators");
    let refs = attr_values(&parts["word/document.xml"], "w:footnoteReference", "w:id");
    assert_eq!(refs.len(), notes.len());
}

#[test]
fn the_summary_docx_with_bracketed_citations_numbers_them_in_order_with_references() {
    let (dir, review) = demo();
    let rendered = review
        .render_document(Document::Summary, &RenderOptions::default())
        .unwrap();
    let docx = bytes(
        &review,
        &request(
            ExportDoc::Summary,
            ExportFormat::Docx,
            CitationStyle::Brackets,
        ),
    );
    let path = write(dir.path(), "summary.docx", &docx);
    let pdf = soffice_convert(&path, "pdf", dir.path());
    let text = pdf_text(&pdf);

    let headings: Vec<String> = rendered
        .sections
        .iter()
        .map(|s| s.heading.clone())
        .collect();
    let mut front = vec!["Contents".to_owned()];
    front.extend(headings.iter().cloned());
    let contents_end = in_order(&text, 0, &front);
    let refs_at = text.rfind("References").unwrap();
    let body = &text[contents_end..refs_at];

    // "[n]" marks: each number first appears after the one before it, and all are there.
    let n = rendered.citations.len();
    assert!(n >= 10);
    let mut last = 0;
    for k in 1..=n {
        let at = body
            .find(&format!("[{k}]"))
            .unwrap_or_else(|| panic!("[{k}] is not in the body"));
        assert!(
            at > last || k == 1,
            "[{k}] first appears before [{}]",
            k - 1
        );
        last = at;
    }
    // The references list, in number order, says what each one is.
    let entries: Vec<String> = rendered
        .citations
        .iter()
        .map(|c| {
            let text: String = c.note_text().chars().take(40).collect();
            format!("[{}] {text}", c.number)
        })
        .collect();
    in_order(&text, refs_at, &entries);
    assert_eq!(
        attr_values(
            &parts(&docx)["word/document.xml"],
            "w:footnoteReference",
            "w:id"
        )
        .len(),
        0,
        "bracketed citations make no footnotes"
    );
}

#[test]
fn python_docx_opens_the_reports_and_finds_real_styles() {
    let (dir, review) = demo_with_recommendations();
    let overview = write(
        dir.path(),
        "overview.docx",
        &bytes(
            &review,
            &request(
                ExportDoc::Overview,
                ExportFormat::Docx,
                CitationStyle::Footnotes,
            ),
        ),
    );
    let summary = write(
        dir.path(),
        "summary.docx",
        &bytes(
            &review,
            &request(
                ExportDoc::Summary,
                ExportFormat::Docx,
                CitationStyle::Brackets,
            ),
        ),
    );
    let details = review.details().unwrap();

    let o = python_docx(&overview, READ_DOCX);
    assert_eq!(o["title"], details.title.as_str());
    assert_eq!(o["author"], "Alison Greaves", "the panel's overview author");
    assert_eq!(o["subject"], "Overview report");
    let paragraphs = o["paragraphs"].as_array().unwrap();
    let styled = |id: &str| -> Vec<String> {
        paragraphs
            .iter()
            .filter(|p| p[0] == id)
            .map(|p| p[2].as_str().unwrap().to_owned())
            .collect()
    };
    let name_of = |id: &str| {
        paragraphs
            .iter()
            .find(|p| p[0] == id)
            .map(|p| p[1].as_str().unwrap().to_owned())
    };
    assert_eq!(styled("Title"), vec![details.title.clone()]);
    assert_eq!(styled("Subtitle"), vec!["Overview report".to_owned()]);
    let sections: Vec<String> = review
        .sections(Document::Overview)
        .unwrap()
        .into_iter()
        .map(|s| s.heading)
        .collect();
    let mut h1 = sections.clone();
    h1.push("Appendix: coverage of the terms of reference".into());
    assert_eq!(styled("Heading1"), h1);
    assert_eq!(name_of("Heading1").as_deref(), Some("Heading 1"));
    assert!(styled("Heading3").contains(&"Recommendations of the overview report".to_owned()));
    let recs = review.recommendations().unwrap();
    let numbered = styled("ListNumber");
    assert_eq!(numbered.len(), recs.len());
    assert_eq!(numbered[0], recs[0].text);
    assert_eq!(name_of("ListNumber").as_deref(), Some("List Number"));
    assert!(
        !styled("Quote").is_empty(),
        "the conclusion is set out as a quotation"
    );
    assert!(
        !styled("ListBullet").is_empty(),
        "the summary of events is a bulleted list"
    );
    assert_eq!(styled("TOCHeading"), vec!["Contents".to_owned()]);
    assert_eq!(styled("TOC1").len(), h1.len());
    let tables = o["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 1, "the coverage appendix");
    assert_eq!(tables[0][0], "Threadline Table");
    assert_eq!(tables[0][1], review.tor_items().unwrap().len() + 1);
    // The appendix sits on landscape pages after the portrait report.
    assert_eq!(o["sections"], serde_json::json!([[false], [true]]));

    let s = python_docx(&summary, READ_DOCX);
    let paragraphs = s["paragraphs"].as_array().unwrap();
    let bibliography: Vec<&str> = paragraphs
        .iter()
        .filter(|p| p[0] == "Bibliography")
        .map(|p| p[2].as_str().unwrap())
        .collect();
    let rendered = review
        .render_document(Document::Summary, &RenderOptions::default())
        .unwrap();
    assert_eq!(bibliography.len(), rendered.citations.len());
    assert!(bibliography[0].starts_with("[1]\t"), "{}", bibliography[0]);
}

#[test]
fn the_docx_parts_are_well_formed_and_every_reference_resolves() {
    let (_dir, review) = demo_with_recommendations();
    for style in [CitationStyle::Footnotes, CitationStyle::Brackets] {
        for doc in [
            ExportDoc::Overview,
            ExportDoc::Summary,
            ExportDoc::ActionPlan,
        ] {
            let docx = bytes(&review, &request(doc, ExportFormat::Docx, style));
            let parts = parts(&docx);
            for name in [
                "[Content_Types].xml",
                "_rels/.rels",
                "word/_rels/document.xml.rels",
                "docProps/core.xml",
                "docProps/app.xml",
                "word/settings.xml",
                "word/footer1.xml",
            ] {
                attr_values(&parts[name], "none", "none"); // parses, or panics
            }
            let styles: BTreeSet<String> =
                attr_values(&parts["word/styles.xml"], "w:style", "w:styleId")
                    .into_iter()
                    .collect();
            let document = &parts["word/document.xml"];
            let footnotes = &parts["word/footnotes.xml"];
            for xml in [document, footnotes] {
                for kind in ["w:pStyle", "w:rStyle", "w:tblStyle"] {
                    for used in attr_values(xml, kind, "w:val") {
                        assert!(styles.contains(&used), "{doc}: style {used} is not defined");
                    }
                }
            }
            let nums: BTreeSet<String> =
                attr_values(&parts["word/numbering.xml"], "w:num", "w:numId")
                    .into_iter()
                    .collect();
            for used in attr_values(document, "w:numId", "w:val") {
                assert!(nums.contains(&used), "{doc}: list {used} is not defined");
            }
            let notes: BTreeSet<String> = attr_values(footnotes, "w:footnote", "w:id")
                .into_iter()
                .collect();
            for used in attr_values(document, "w:footnoteReference", "w:id") {
                assert!(
                    notes.contains(&used),
                    "{doc}: footnote {used} is not defined"
                );
            }
            let starts = attr_values(document, "w:bookmarkStart", "w:id");
            let ends = attr_values(document, "w:bookmarkEnd", "w:id");
            assert_eq!(starts, ends);
            let names = attr_values(document, "w:bookmarkStart", "w:name");
            for anchor in attr_values(document, "w:hyperlink", "w:anchor") {
                assert!(
                    names.contains(&anchor),
                    "{doc}: contents link {anchor} goes nowhere"
                );
            }
            if matches!(doc, ExportDoc::Overview | ExportDoc::Summary) {
                assert!(document.contains(r#" TOC \o "1-3" \h \z \u "#));
                assert_eq!(
                    names.len(),
                    attr_values(document, "w:hyperlink", "w:anchor").len()
                );
            }
            let core = &parts["docProps/core.xml"];
            assert!(
                core.contains("<dc:creator>Alison Greaves</dc:creator>"),
                "{core}"
            );
            assert!(
                core.contains("2026-03-01T09:00:00Z"),
                "the review's clock: {core}"
            );
        }
    }
}

#[test]
fn the_same_review_exports_the_same_bytes() {
    let (_dir, review) = demo();
    for format in [ExportFormat::Docx, ExportFormat::Html, ExportFormat::Md] {
        let req = request(ExportDoc::Overview, format, CitationStyle::Footnotes);
        assert_eq!(bytes(&review, &req), bytes(&review, &req), "{format}");
    }
}

/// Reads CSV text (with or without a byte-order mark) into rows.
fn csv_rows(data: &[u8]) -> Vec<Vec<String>> {
    let data = data.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(data);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// LibreOffice's rendering of a cell (as shown) matches what our CSV holds for it.
fn same_cell(ours: &str, theirs: &str) -> bool {
    if ours == theirs {
        return true;
    }
    match NaiveDate::parse_from_str(ours, "%Y-%m-%d") {
        Ok(d) => [
            d.format("%d/%m/%Y").to_string(),
            d.format("%b %Y").to_string(),
            d.format("%Y").to_string(),
        ]
        .contains(&theirs.to_owned()),
        Err(_) => false,
    }
}

#[test]
fn workbooks_converted_by_libreoffice_match_the_csv_exports() {
    let (dir, review) = demo();
    for doc in [
        ExportDoc::ActionPlan,
        ExportDoc::Chronology,
        ExportDoc::Coverage,
    ] {
        let xlsx = bytes(
            &review,
            &request(doc, ExportFormat::Xlsx, CitationStyle::Footnotes),
        );
        let ours = csv_rows(&bytes(
            &review,
            &request(doc, ExportFormat::Csv, CitationStyle::Footnotes),
        ));
        let sub = dir.path().join(doc.as_str());
        std::fs::create_dir(&sub).unwrap();
        let path = write(&sub, "table.xlsx", &xlsx);
        let out = sub.join("out");
        std::fs::create_dir(&out).unwrap();
        let csv = soffice_convert(&path, "csv:Text - txt - csv (StarCalc):44,34,76,1", &out);
        let theirs = csv_rows(&std::fs::read(csv).unwrap());
        assert_eq!(ours.len(), theirs.len(), "{doc}: rows");
        assert!(ours.len() > 5, "{doc}: the demo has rows");
        for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
            let width = a.len().max(b.len());
            for c in 0..width {
                let x = a.get(c).map(String::as_str).unwrap_or("");
                let y = b.get(c).map(String::as_str).unwrap_or("");
                assert!(
                    same_cell(x, y),
                    "{doc} row {i} column {c}: ours {x:?}, LibreOffice {y:?}"
                );
            }
        }
    }
}

#[test]
fn the_chronology_workbook_reads_back_through_the_chronology_importer() {
    let (dir, review) = demo();
    let xlsx = bytes(
        &review,
        &request(
            ExportDoc::Chronology,
            ExportFormat::Xlsx,
            CitationStyle::Footnotes,
        ),
    );
    let path = write(dir.path(), "chronology.xlsx", &xlsx);
    let mut copy = fresh();
    let preview = copy.review.preview_chronology_import(&path, None).unwrap();
    let imported = copy
        .review
        .import_chronology(&path, &preview.mapping, &mut |_| {})
        .unwrap();
    let original = review.chronology(&ChronologyFilter::default()).unwrap();
    assert!(imported.failed.is_empty(), "{:?}", imported.failed);
    assert_eq!(imported.added, original.len());
    let back = copy
        .review
        .chronology(&ChronologyFilter::default())
        .unwrap();
    let key = |date: NaiveDate, event: &str| (date, event.to_owned());
    let want: BTreeSet<_> = original.iter().map(|e| key(e.date, &e.event)).collect();
    let got: BTreeSet<_> = back.iter().map(|e| key(e.date, &e.event)).collect();
    assert_eq!(got, want);
    let agencies: BTreeSet<String> = copy
        .review
        .agencies()
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    let named: BTreeSet<String> = review
        .agencies()
        .unwrap()
        .into_iter()
        .filter(|a| original.iter().any(|e| e.agency_id.as_ref() == Some(&a.id)))
        .map(|a| a.name)
        .collect();
    assert_eq!(agencies, named);
}

/// The cells of the first worksheet, with calamine: (row, column) → value.
fn xlsx_cells(xlsx: &[u8]) -> (String, calamine::Range<calamine::Data>) {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    (name, range)
}

#[test]
fn workbooks_have_a_bold_frozen_filtered_header_widths_and_real_dates() {
    let (_dir, review) = demo();
    let xlsx = bytes(
        &review,
        &request(
            ExportDoc::Chronology,
            ExportFormat::Xlsx,
            CitationStyle::Footnotes,
        ),
    );
    let (name, range) = xlsx_cells(&xlsx);
    assert_eq!(name, "Chronology");
    let header: Vec<String> = (0..12)
        .map(|c| range.get((0, c)).unwrap().to_string())
        .collect();
    assert_eq!(header[0], "Date");
    assert_eq!(header[6], "Event");
    let entries = review.chronology(&ChronologyFilter::default()).unwrap();
    assert_eq!(range.height(), entries.len() + 1);
    for (i, e) in entries.iter().enumerate() {
        match range.get((i + 1, 0)).unwrap() {
            calamine::Data::DateTime(dt) => {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                assert_eq!(
                    NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32).unwrap(),
                    e.date
                );
            }
            other => panic!("row {i}: the date is a {other:?}, not a date"),
        }
        assert_eq!(range.get((i + 1, 6)).unwrap().to_string(), e.event);
    }

    let parts = parts(&xlsx);
    let sheet = &parts["xl/worksheets/sheet1.xml"];
    assert!(
        sheet.contains(r#"ySplit="1""#) && sheet.contains(r#"state="frozen""#),
        "{sheet}"
    );
    assert!(
        sheet.contains("<autoFilter ref=\"A1:L"),
        "filter over the header"
    );
    let mins = attr_values(sheet, "col", "min");
    let maxs = attr_values(sheet, "col", "max");
    let covered: usize = mins
        .iter()
        .zip(&maxs)
        .map(|(a, b)| b.parse::<usize>().unwrap() - a.parse::<usize>().unwrap() + 1)
        .sum();
    assert_eq!(covered, 12, "every column has its width");
    assert!(
        attr_values(sheet, "f", "t").is_empty() && !sheet.contains("<f>"),
        "no formulas"
    );
    let styles = &parts["xl/styles.xml"];
    assert!(styles.contains("<b/>"), "a bold font for the header");
    assert!(styles.contains("dd/mm/yyyy") && styles.contains("mmm yyyy"));
    assert!(parts["docProps/core.xml"].contains("Child R"));
}

#[test]
fn text_a_spreadsheet_would_run_as_a_formula_is_neutralised() {
    for (given, want) in [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2 days", "'-2 days"),
        ("@SUM(A1:A3)", "'@SUM(A1:A3)"),
        ("\tTabbed", "'\tTabbed"),
        ("\rReturn", "'\rReturn"),
        ("Ordinary = text", "Ordinary = text"),
        ("", ""),
    ] {
        assert_eq!(neutralise(given), want);
    }

    let mut c = case();
    let evil = "=HYPERLINK(\"http://example.invalid/steal\",\"Open\")";
    for event in [evil, "+1 extra visit", "-3 days before", "@admin told"] {
        c.f.review
            .add_chronology_entry(ChronologyInput {
                agency_id: Some(c.police.clone()),
                ..ChronologyInput::new(NaiveDate::from_ymd_opt(2021, 4, 1).unwrap(), event)
            })
            .unwrap();
    }
    let rec =
        c.f.review
            .add_recommendation(RecommendationInput {
                text: "=2*3 is not a recommendation".into(),
                owner_role: "@owner".into(),
                ..RecommendationInput::default()
            })
            .unwrap();
    c.f.review
        .add_action(
            &rec.id,
            ActionInput {
                text: "+do it".into(),
                lead: "-lead".into(),
                ..ActionInput::default()
            },
        )
        .unwrap();

    let csv = bytes(
        &c.f.review,
        &request(
            ExportDoc::Chronology,
            ExportFormat::Csv,
            CitationStyle::Footnotes,
        ),
    );
    let rows = csv_rows(&csv);
    let events: Vec<&str> = rows.iter().skip(1).map(|r| r[6].as_str()).collect();
    for e in [evil, "+1 extra visit", "-3 days before", "@admin told"] {
        assert!(
            events.contains(&format!("'{e}").as_str()),
            "{e} in {events:?}"
        );
    }
    let plan = csv_rows(&bytes(
        &c.f.review,
        &request(
            ExportDoc::ActionPlan,
            ExportFormat::Csv,
            CitationStyle::Footnotes,
        ),
    ));
    let row = plan
        .iter()
        .find(|r| r[0] == rec.number.to_string())
        .unwrap();
    assert_eq!(row[1], "'=2*3 is not a recommendation");
    assert_eq!(row[4], "'@owner");
    assert_eq!(row[8], "'+do it");
    assert_eq!(row[9], "'-lead");
    // No cell of either file starts with a formula character.
    for r in rows.iter().chain(&plan) {
        for cell in r {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} could run as a formula"
            );
        }
    }

    // In the workbook too, and LibreOffice shows the text rather than running it.
    let xlsx = bytes(
        &c.f.review,
        &request(
            ExportDoc::Chronology,
            ExportFormat::Xlsx,
            CitationStyle::Footnotes,
        ),
    );
    let (_, range) = xlsx_cells(&xlsx);
    let cells: Vec<String> = range.rows().map(|r| r[6].to_string()).collect();
    assert!(cells.contains(&format!("'{evil}")), "{cells:?}");
    assert!(!parts(&xlsx)["xl/worksheets/sheet1.xml"].contains("<f>"));
    let path = write(c.f.dir.path(), "evil.xlsx", &xlsx);
    let out = c.f.dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let converted = soffice_convert(&path, "csv:Text - txt - csv (StarCalc):44,34,76,1", &out);
    let theirs = csv_rows(&std::fs::read(converted).unwrap());
    let shown: Vec<&str> = theirs.iter().map(|r| r[6].as_str()).collect();
    assert!(shown.contains(&format!("'{evil}").as_str()), "{shown:?}");
    assert!(!shown.contains(&"Open"), "the formula was not run");
}

#[test]
fn csv_files_are_utf8_with_a_byte_order_mark_and_crlf_lines() {
    let (_dir, review) = demo();
    let csv = bytes(
        &review,
        &request(
            ExportDoc::Chronology,
            ExportFormat::Csv,
            CitationStyle::Footnotes,
        ),
    );
    assert!(csv.starts_with("\u{FEFF}Date,".as_bytes()));
    let text = String::from_utf8(csv).unwrap();
    assert!(text.contains("\r\n"));
    assert!(!text.replace("\r\n", "").contains("\r"));
    let rows = csv_rows(text.as_bytes());
    // Dates are ISO days, whatever their precision.
    for r in rows.iter().skip(1) {
        NaiveDate::parse_from_str(&r[0], "%Y-%m-%d").unwrap();
    }
}

/// Every tag in the page is one the exporter writes, with only harmless attributes: no
/// script, image, frame, form or external resource, no event handler, no link out. (Text is
/// escaped, so every `<` in the page starts a real tag.)
fn check_tags(html: &str) {
    const TAGS: &[&str] = &[
        "!doctype",
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "main",
        "header",
        "nav",
        "section",
        "h1",
        "h2",
        "h3",
        "h4",
        "p",
        "ol",
        "ul",
        "li",
        "a",
        "sup",
        "span",
        "em",
        "strong",
        "br",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "hr",
    ];
    const ATTRS: &[&str] = &[
        "lang",
        "charset",
        "http-equiv",
        "content",
        "name",
        "id",
        "class",
        "href",
        "value",
        "start",
        "scope",
        "aria-labelledby",
        "aria-label",
    ];
    const VOID: &[&str] = &["!doctype", "meta", "br", "hr"];
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let end = rest[i..].find('>').expect("every tag closes") + i;
        let raw = &rest[i + 1..end];
        rest = &rest[end + 1..];
        let closing = raw.starts_with('/');
        let tag = raw.trim_start_matches('/');
        let mut words = tag.split_whitespace();
        let name = words.next().unwrap_or("").to_lowercase();
        assert!(TAGS.contains(&name.as_str()), "unexpected tag <{tag}>");
        // Elements nest properly.
        if closing {
            assert_eq!(
                open.pop().as_deref(),
                Some(name.as_str()),
                "</{name}> closes the wrong element"
            );
        } else if !VOID.contains(&name.as_str()) {
            open.push(name.clone());
        }
        // Attribute names: what comes before each '=' outside quotes.
        let mut in_quote = false;
        let mut word = String::new();
        for c in tag[name.len()..].chars() {
            match c {
                '"' => in_quote = !in_quote,
                '=' if !in_quote => {
                    let attr = word.trim().to_lowercase();
                    assert!(
                        ATTRS.contains(&attr.as_str()),
                        "attribute {attr} in <{tag}>"
                    );
                    word.clear();
                }
                c if c.is_whitespace() && !in_quote => word.clear(),
                c if !in_quote => word.push(c),
                _ => {}
            }
        }
        if let Some(at) = tag.find("href=\"") {
            assert!(
                tag[at + 6..].starts_with('#'),
                "a link out of the page: <{tag}>"
            );
        }
    }
    assert!(open.is_empty(), "left open: {open:?}");
}

#[test]
fn html_is_self_contained_has_a_print_stylesheet_and_escapes_imported_text() {
    let mut c = case();
    let evil = "<img src=x onerror=alert(1)> & <script>alert(2)</script>";
    c.f.review
        .update_finding(
            &c.f1,
            threadline::model::findings::FindingInput {
                theme_id: Some(c.theme.clone()),
                kind: threadline::model::findings::FindingKind::Practice,
                statement: format!("Imported {evil}"),
                analysis: String::new(),
            },
        )
        .unwrap();
    c.f.review
        .add_section(SectionInput {
            document: Document::Overview,
            heading: "Heading <b>bold?</b>".into(),
            body: format!(
                "Typed {evil} [link](https://example.com/x) ![pic](http://example.com/p.png) \
                 cites [[finding:{}]].\n\n[[block:themes]]\n",
                c.f1
            ),
        })
        .unwrap();
    for style in [CitationStyle::Footnotes, CitationStyle::Brackets] {
        for doc in [ExportDoc::Overview, ExportDoc::Chronology] {
            let html =
                String::from_utf8(bytes(&c.f.review, &request(doc, ExportFormat::Html, style)))
                    .unwrap();
            let lower = html.to_lowercase();
            check_tags(&html);
            assert!(!lower.contains("url("), "{doc}: a fetched resource in CSS");
            assert!(lower.contains("<style>") && lower.contains("@media print"));
            assert!(
                lower.contains("default-src 'none'"),
                "{doc}: a content security policy"
            );
            if doc == ExportDoc::Overview {
                assert!(
                    html.contains("Typed &lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;")
                );
                assert!(html.contains("Heading &lt;b&gt;bold?&lt;/b&gt;"));
                assert!(html.contains("Imported &lt;img src=x onerror=alert(1)&gt;"));
                // Addresses survive as words, never as links or images.
                assert!(html.contains("link (https://example.com/x)"));
                assert!(html.contains("pic (http://example.com/p.png)"));
            }
        }
        let html = String::from_utf8(bytes(
            &c.f.review,
            &request(ExportDoc::Overview, ExportFormat::Html, style),
        ))
        .unwrap();
        match style {
            CitationStyle::Brackets => {
                assert!(html.contains(r##"<a class="cite" href="#ref-1">[1]</a>"##));
                assert!(html.contains(r#"<li id="ref-1" value="1">F1: Imported &lt;img"#));
            }
            CitationStyle::Footnotes => {
                assert!(
                    html.contains(r##"<sup class="mark" id="mark-1"><a href="#fn-1">1</a></sup>"##)
                );
                assert!(html.contains(r#"<li id="fn-1">F1: Imported &lt;img"#));
            }
        }
    }
}

#[test]
fn a_section_round_trips_through_the_markdown_export() {
    let mut c = case();
    let body = "Plain words with **bold**, *italic* and ***both***; symbols * _ ` < > & | # \\ \
        [not a link] and 1. not a list.\n\n\
        ## A subheading\n\n\
        - one\n- two with *stress*\n  - nested\n\n\
        4. four\n5. five\n\n\
        > A quotation\n> that continues.\n\n\
        ### Smaller\n\n\
        +44 is a number, - a dash, # a hash and 12. a number at the start\\\n\
        of a hard-broken line.\n";
    c.f.review
        .add_section(SectionInput {
            document: Document::Overview,
            heading: "Round trip".into(),
            body: body.into(),
        })
        .unwrap();
    let original =
        c.f.review
            .render_document(Document::Overview, &RenderOptions::default())
            .unwrap();
    assert!(original.problems.is_empty(), "{:?}", original.problems);
    let md = String::from_utf8(bytes(
        &c.f.review,
        &request(
            ExportDoc::Overview,
            ExportFormat::Md,
            CitationStyle::Footnotes,
        ),
    ))
    .unwrap();
    let start = md.find("# Round trip\n\n").unwrap() + "# Round trip\n\n".len();
    let end = md[start..].find("\n# ").map_or(md.len(), |i| start + i);
    let exported = &md[start..end];

    let mut other = fresh();
    other
        .review
        .add_section(SectionInput {
            document: Document::Overview,
            heading: "Round trip".into(),
            body: exported.into(),
        })
        .unwrap();
    let again = other
        .review
        .render_document(Document::Overview, &RenderOptions::default())
        .unwrap();
    assert_eq!(
        again.sections[0].blocks, original.sections[0].blocks,
        "{exported}"
    );
}

#[test]
fn markdown_carries_citations_as_footnotes_or_brackets_with_references() {
    let mut c = case();
    c.f.review
        .add_section(SectionInput {
            document: Document::Summary,
            heading: "Findings".into(),
            body: format!(
                "First [[finding:{}]] [[excerpt:{}]], again [[finding:{}]].\n",
                c.f2, c.excerpt, c.f2
            ),
        })
        .unwrap();
    let md = |style| {
        String::from_utf8(bytes(
            &c.f.review,
            &request(ExportDoc::Summary, ExportFormat::Md, style),
        ))
        .unwrap()
    };
    let foot = md(CitationStyle::Footnotes);
    assert!(foot.contains("First[^1][^2], again[^3]."), "{foot}");
    assert!(foot.contains(
        "[^1]: F2: The risk template asks nothing about other adults in the home.\n\
         [^2]: Police IMR ¶4.2: “did not see the children”\n\
         [^3]: F2: The risk template"
    ));
    let brackets = md(CitationStyle::Brackets);
    assert!(
        brackets.contains("First \\[1\\] \\[2\\], again \\[1\\]."),
        "{brackets}"
    );
    assert!(brackets.contains(
        "# References\n\n1\\. F2: The risk template asks nothing about other adults in the home.\\\n\
         2\\. Police IMR ¶4.2: “did not see the children”\n"
    ));
}

#[test]
fn tables_can_be_documents_too() {
    let (dir, review) = demo();
    let docx = bytes(
        &review,
        &request(
            ExportDoc::ActionPlan,
            ExportFormat::Docx,
            CitationStyle::Footnotes,
        ),
    );
    let path = write(dir.path(), "plan.docx", &docx);
    let o = python_docx(&path, READ_DOCX);
    assert_eq!(o["subject"], "Action plan");
    assert_eq!(
        o["sections"],
        serde_json::json!([[true]]),
        "landscape pages"
    );
    let rows: usize = review
        .recommendations()
        .unwrap()
        .iter()
        .map(|r| r.actions.len().max(1))
        .sum();
    assert_eq!(o["tables"][0][1], rows + 1);
    assert_eq!(o["tables"][0][2], 15);
    let md = String::from_utf8(bytes(
        &review,
        &request(
            ExportDoc::Coverage,
            ExportFormat::Md,
            CitationStyle::Footnotes,
        ),
    ))
    .unwrap();
    assert!(
        md.contains("| ToR | Term of reference | Type | Findings |"),
        "{md}"
    );
}

#[test]
fn combinations_that_make_no_sense_are_refused_naming_what_works() {
    let (_dir, review) = demo();
    let err = export(
        &review,
        &ExportRequest::new(ExportDoc::Overview, ExportFormat::Xlsx),
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "format: the overview report cannot be exported as xlsx; choose one of: docx, html, md"
    );
    let err = export(
        &review,
        &ExportRequest::new(ExportDoc::Summary, ExportFormat::Csv),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }));

    let f = fresh();
    let err = export(
        &f.review,
        &ExportRequest::new(ExportDoc::Overview, ExportFormat::Docx),
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "doc: the overview report has no sections yet; add the default outline or a section first"
    );
    // An empty table still exports, saying so.
    let html = String::from_utf8(
        export(
            &f.review,
            &ExportRequest::new(ExportDoc::ActionPlan, ExportFormat::Html),
            &mut |_| {},
        )
        .unwrap(),
    )
    .unwrap();
    assert!(html.contains("Nothing has been recorded yet."));
}

#[test]
fn writing_a_file_never_overwrites_unless_asked_and_leaves_nothing_half_written() {
    let (dir, review) = demo();
    let out = dir.path().join("exports");
    std::fs::create_dir(&out).unwrap();
    let target = out.join("overview.docx");
    let req = ExportRequest::new(ExportDoc::Overview, ExportFormat::Docx);
    let mut stages: Vec<ExportProgress> = Vec::new();
    let n = export_to_file(&review, &req, &target, false, &mut |p| stages.push(p)).unwrap();
    assert_eq!(std::fs::metadata(&target).unwrap().len(), n);
    let last = stages.last().unwrap();
    assert_eq!((last.done, last.total), (last.total, last.total));
    assert!(stages.windows(2).all(|w| w[0].done <= w[1].done));

    // Exists: refused, untouched.
    std::fs::write(&target, b"keep me").unwrap();
    let err = export_to_file(&review, &req, &target, false, &mut |_| {}).unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
    assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
    // Replaced when asked.
    export_to_file(&review, &req, &target, true, &mut |_| {}).unwrap();
    assert!(std::fs::read(&target).unwrap().starts_with(b"PK"));

    // A failed export writes nothing at all, not even a temporary file.
    let empty = fresh();
    let target2 = out.join("empty.docx");
    export_to_file(&empty.review, &req, &target2, false, &mut |_| {}).unwrap_err();
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["overview.docx".to_owned()]);
    // A folder that does not exist is an error, not a panic.
    let err = export_to_file(
        &review,
        &req,
        &out.join("no/such/x.docx"),
        false,
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(err.code(), "io");
}

#[test]
fn the_cli_exports_with_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(crate::common::cli())
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    assert!(run(&["demo", "d.threadline"]).status.success());
    let out = run(&[
        "export",
        "d.threadline",
        "--doc",
        "overview",
        "-o",
        "o.docx",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(
        said.starts_with("wrote o.docx (overview report as docx, "),
        "{said}"
    );
    assert!(out.stderr.is_empty(), "the demo renders with no warnings");
    for (args, file) in [
        (
            vec![
                "--doc",
                "action-plan",
                "--format",
                "xlsx",
                "-o",
                "plan.xlsx",
            ],
            "plan.xlsx",
        ),
        (vec!["--doc", "chronology", "-o", "chron.csv"], "chron.csv"),
        (
            vec!["--doc", "summary", "--citations", "brackets", "-o", "s.md"],
            "s.md",
        ),
        (vec!["--doc", "coverage", "-o", "cov.html"], "cov.html"),
    ] {
        let mut full = vec!["export", "d.threadline"];
        full.extend(args);
        let out = run(&full);
        assert!(
            out.status.success(),
            "{full:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(dir.path().join(file).exists());
    }
    let fails = |args: &[&str]| {
        let mut full = vec!["export", "d.threadline"];
        full.extend(args);
        let out = run(&full);
        assert!(!out.status.success(), "{full:?} should fail");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        err
    };
    let err = fails(&["--doc", "overview", "-o", "o.docx"]);
    assert!(err.contains("o.docx already exists"), "{err}");
    let before = std::fs::read(dir.path().join("o.docx")).unwrap();
    let out = run(&[
        "export",
        "d.threadline",
        "--doc",
        "overview",
        "--citations",
        "brackets",
        "-o",
        "o.docx",
        "--force",
    ]);
    assert!(out.status.success());
    assert_ne!(std::fs::read(dir.path().join("o.docx")).unwrap(), before);
    let err = fails(&["--doc", "minutes", "-o", "m.docx"]);
    assert!(
        err.contains("'minutes' is not one of: overview, summary, action-plan"),
        "{err}"
    );
    let err = fails(&["--doc", "overview", "-o", "o.xlsx"]);
    assert!(err.contains("choose one of: docx, html, md"), "{err}");
    let err = fails(&["--doc", "overview", "--format", "html", "-o", "o2.docx"]);
    assert!(
        err.contains("o2.docx ends in .docx but the format is html"),
        "{err}"
    );
    let err = fails(&["--doc", "overview", "-o", "report"]);
    assert!(err.contains("give --format"), "{err}");
    let err = fails(&["--doc", "overview", "--citations", "margin", "-o", "x.docx"]);
    assert!(
        err.contains("'margin' is not one of: footnotes, brackets"),
        "{err}"
    );
    assert!(!dir.path().join("x.docx").exists());
    let help = String::from_utf8(run(&["export", "--help"]).stdout).unwrap();
    assert!(help.contains("--citations") && help.contains("--force"));
}

#[test]
fn a_section_with_problems_still_exports_and_the_cli_warns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.threadline");
    {
        let mut review = Review::create(&path, ctx()).unwrap();
        review
            .add_section(SectionInput {
                document: Document::Overview,
                heading: "Draft".into(),
                body:
                    "[[block:nonsense]]\n\nText [[finding:4f0c2a9e-1b2c-4d3e-8f40-123456789abc]].\n"
                        .into(),
            })
            .unwrap();
        review.close().unwrap();
    }
    let out = Command::new(crate::common::cli())
        .args([
            "export",
            "r.threadline",
            "--doc",
            "overview",
            "-o",
            "r.html",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let warnings = String::from_utf8(out.stderr).unwrap();
    assert_eq!(warnings.lines().count(), 2, "{warnings}");
    assert!(warnings.contains(
        "threadline: warning: section \"Draft\": [[block:nonsense]] is not a live block"
    ));
    assert!(warnings.contains("citation 1 points at a finding that no longer exists"));
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(html.contains("Missing finding (deleted)"));
}
