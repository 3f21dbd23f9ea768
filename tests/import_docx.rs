//! Word (.docx) import: files written at test time by LibreOffice and by the docx-rs writer,
//! hand-made packages for the parts of the format those writers do not produce, hostile and
//! broken files refused with nothing written, the Child S corpus as a Word file, and a
//! re-issued IMR whose excerpts move onto the new version.

use std::io::{Cursor, Write};
use std::sync::OnceLock;

use proptest::prelude::*;
use threadline::import::document::{DocumentImport, REANCHOR_THRESHOLD};
use threadline::import::docx::{read_docx, DocxDocument};
use threadline::import::{FileFormat, ImportProgress};
use threadline::interchange::dump;
use threadline::model::agencies::AgencyInput;
use threadline::model::findings::{EvidenceTarget, FindingInput, FindingKind, Relation};
use threadline::model::sources::{Confidence, Paragraph, ParagraphKind, SourceInput, SourceKind};
use threadline::search::SearchQuery;
use threadline::{Error, Result, Review};

use crate::common::office::soffice_convert;
use crate::common::{corpus, fresh, Fixture};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn titled(title: &str) -> SourceInput {
    SourceInput {
        kind: SourceKind::Imr,
        title: title.into(),
        ..SourceInput::default()
    }
}

/// Imports `bytes` as the file `name`, collecting the progress reports.
fn import_bytes(
    r: &mut Review,
    input: SourceInput,
    name: &str,
    bytes: &[u8],
    supersedes: Option<&str>,
) -> Result<DocumentImport> {
    r.import_document_bytes(input, name, bytes, supersedes, &mut |_| {})
}

fn all_paragraphs(r: &Review, source_id: &str) -> Vec<Paragraph> {
    r.paragraphs(source_id, 0, usize::MAX).unwrap()
}

/// (kind, label, heading level, text) of each paragraph, for whole-document comparisons.
fn shape(doc: &DocxDocument) -> Vec<(ParagraphKind, Option<&str>, i64, &str)> {
    doc.paragraphs
        .iter()
        .map(|p| (p.kind, p.label.as_deref(), p.heading_level, p.text.as_str()))
        .collect()
}

/// The reason of a `BadDocument` error (and that it names the file).
fn bad_reason(err: Error, name: &str) -> String {
    match err {
        Error::BadDocument { name: n, reason } => {
            assert_eq!(n, name, "the error names the file");
            reason
        }
        other => panic!("expected a bad-document error, got {other:?}"),
    }
}

/// Paragraph hits for `words`.
fn paragraph_hits(r: &Review, words: &str) -> Vec<threadline::search::SearchHit> {
    r.search(&SearchQuery {
        text: words.into(),
        kinds: Some(vec!["paragraph".into()]),
        offset: 0,
        limit: 50,
    })
    .unwrap()
    .hits
}

/// Converts `contents`, written to a file called `file`, to .docx with LibreOffice; returns
/// the .docx bytes.
fn libreoffice_docx(file: &str, contents: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(file);
    std::fs::write(&input, contents).unwrap();
    let out = soffice_convert(&input, "docx:MS Word 2007 XML", dir.path());
    std::fs::read(out).unwrap()
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A zip package of the given parts (deflated).
fn package(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A minimal Word package: content types, relationships, `document` as word/document.xml
/// and any further parts (which the document's relationships name by their usual types).
fn docx(document: &str, extra: &[(&str, String)]) -> Vec<u8> {
    let rel = |id: usize, kind: &str, target: &str| {
        format!(
            r#"<Relationship Id="rId{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/>"#
        )
    };
    let mut doc_rels = String::new();
    for (i, (part, _)) in extra.iter().enumerate() {
        let file = part.trim_start_matches("word/");
        let kind = file
            .trim_end_matches(".xml")
            .trim_end_matches(char::is_numeric);
        doc_rels.push_str(&rel(i + 1, kind, file));
    }
    let mut parts = vec![
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#.to_vec(),
        ),
        (
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>"#,
                rel(1, "officeDocument", "word/document.xml")
            )
            .into_bytes(),
        ),
        (
            "word/_rels/document.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{doc_rels}</Relationships>"#
            )
            .into_bytes(),
        ),
        ("word/document.xml", document.as_bytes().to_vec()),
    ];
    for (part, text) in extra {
        parts.push((part, text.as_bytes().to_vec()));
    }
    package(&parts)
}

/// A document.xml around `body`.
fn document_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    )
}

/// A one-run paragraph.
fn para(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}

/// Sets the sizes the central directory declares for `part`.
fn patch_declared(bytes: &mut [u8], part: &str, compressed: Option<u32>, size: u32) {
    let sig = [0x50, 0x4B, 0x01, 0x02];
    let mut i = 0;
    while i + 46 <= bytes.len() {
        if bytes[i..i + 4] == sig {
            let name_len = u16::from_le_bytes([bytes[i + 28], bytes[i + 29]]) as usize;
            if &bytes[i + 46..i + 46 + name_len] == part.as_bytes() {
                if let Some(c) = compressed {
                    bytes[i + 20..i + 24].copy_from_slice(&c.to_le_bytes());
                }
                bytes[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
                return;
            }
        }
        i += 1;
    }
    panic!("no central directory entry for {part}");
}

// ---------------------------------------------------------------------------------------------
// Files written by LibreOffice (converted once, shared by the tests)
// ---------------------------------------------------------------------------------------------

const FEATURES_HTML: &str = r##"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Health IMR</title></head><body>
<h1>1. Introduction</h1>
<p>This report was commissioned by the board.<a class="sdfootnoteanc" name="sdfootnote1anc" href="#sdfootnote1sym"><sup>1</sup></a> It covers 2019.</p>
<h2>Background</h2>
<p>3.2.1 The family moved to the area in March.</p>
<ol><li>First numbered item</li><li>Second numbered item<ol type="a"><li>Nested one</li><li>Nested two</li></ol></li><li>Third numbered item</li></ol>
<ul><li>A bullet point</li><li>Another bullet</li></ul>
<ol start="4"><li>Fourth item</li></ol>
<ol type="I"><li>Roman one</li><li>Roman two</li></ol>
<table border="1"><tr><th>Date</th><th>Agency</th><th>Event</th></tr>
<tr><td>03/04/2009</td><td>Police</td><td>Officers visited the flat<table><tr><td>inner a</td><td>inner b</td></tr></table></td></tr></table>
<p>Closing words&nbsp;here.</p>
<div id="sdfootnote1"><p class="sdfootnote"><a class="sdfootnotesym" name="sdfootnote1sym" href="#sdfootnote1anc">1</a>Working Together 2018, chapter 4.</p></div>
</body></html>
"##;

const CHANGES_FODT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:body>
  <office:text>
   <text:tracked-changes text:track-changes="true">
    <text:changed-region text:id="ct1">
     <text:insertion><office:change-info><dc:creator>Alex Reviewer</dc:creator><dc:date>2024-05-01T10:00:00</dc:date></office:change-info></text:insertion>
    </text:changed-region>
    <text:changed-region text:id="ct2">
     <text:deletion><office:change-info><dc:creator>Alex Reviewer</dc:creator><dc:date>2024-05-01T10:01:00</dc:date></office:change-info><text:p>was never </text:p></text:deletion>
    </text:changed-region>
    <text:changed-region text:id="ct3">
     <text:deletion><office:change-info><dc:creator>Alex Reviewer</dc:creator><dc:date>2024-05-01T10:02:00</dc:date></office:change-info><text:p>The mother</text:p><text:p>Sentence removed. </text:p></text:deletion>
    </text:changed-region>
   </text:tracked-changes>
   <text:h text:outline-level="1">Findings</text:h>
   <text:p>The health visitor <text:change-start text:change-id="ct1"/>promptly <text:change-end text:change-id="ct1"/>made a referral<text:change text:change-id="ct2"/> to children's social care.</text:p>
   <text:p>Paragraph one ends here and<text:change text:change-id="ct3"/> continues after a deleted break.</text:p>
   <text:p>The school nurse <office:annotation office:name="c1"><dc:creator>Sam Author</dc:creator><dc:date>2024-05-02T09:30:00</dc:date><text:p>Which visits? Check with the school.</text:p></office:annotation>saw her twice<office:annotation-end office:name="c1"/> in May.<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>School nursing records, May 2019.</text:p></text:note-body></text:note> Both visits were recorded.<text:note text:id="edn1" text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body><text:p>See the chronology, entry 14.</text:p></text:note-body></text:note></text:p>
  </office:text>
 </office:body>
</office:document>
"#;

fn features_docx() -> &'static [u8] {
    static CELL: OnceLock<Vec<u8>> = OnceLock::new();
    CELL.get_or_init(|| libreoffice_docx("health-imr.html", FEATURES_HTML))
}

fn changes_docx() -> &'static [u8] {
    static CELL: OnceLock<Vec<u8>> = OnceLock::new();
    CELL.get_or_init(|| libreoffice_docx("tracked.fodt", CHANGES_FODT))
}

/// The Child S executive summary as simple HTML (one paragraph a line), made a Word file.
fn child_s_docx() -> &'static [u8] {
    static CELL: OnceLock<Vec<u8>> = OnceLock::new();
    CELL.get_or_init(|| {
        let text = std::fs::read_to_string(corpus("child-s-executive-summary.txt"))
            .expect("the Child S executive summary in ../shared/corpus");
        let mut html = String::from(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Child S</title></head><body>\n",
        );
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let escaped = line
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            html.push_str(&format!("<p>{escaped}</p>\n"));
        }
        html.push_str("</body></html>\n");
        libreoffice_docx("child-s.html", &html)
    })
}

#[test]
fn libreoffice_headings_lists_tables_and_footnotes_import_in_order() {
    let doc = read_docx(features_docx(), "health-imr.docx").unwrap();
    use ParagraphKind::*;
    assert_eq!(
        shape(&doc),
        vec![
            (Heading, Some("1"), 1, "Introduction"),
            (
                Body,
                None,
                0,
                "This report was commissioned by the board.[1] It covers 2019."
            ),
            (Heading, None, 2, "Background"),
            (
                Body,
                Some("3.2.1"),
                0,
                "The family moved to the area in March."
            ),
            (ListItem, Some("1"), 0, "First numbered item"),
            (ListItem, Some("2"), 0, "Second numbered item"),
            (ListItem, Some("a"), 0, "Nested one"),
            (ListItem, Some("b"), 0, "Nested two"),
            (ListItem, Some("3"), 0, "Third numbered item"),
            (ListItem, Some("•"), 0, "A bullet point"),
            (ListItem, Some("•"), 0, "Another bullet"),
            (ListItem, Some("4"), 0, "Fourth item"),
            (ListItem, Some("I"), 0, "Roman one"),
            (ListItem, Some("II"), 0, "Roman two"),
            (TableRow, None, 0, "Date | Agency | Event"),
            (
                TableRow,
                None,
                0,
                "03/04/2009 | Police | Officers visited the flat inner a | inner b"
            ),
            (Body, None, 0, "Closing words\u{a0}here."),
            (
                Footnote,
                Some("Footnote 1"),
                0,
                "Working Together 2018, chapter 4."
            ),
        ]
    );
    assert_eq!(doc.counts.paragraphs, 18);
    assert_eq!(doc.counts.headings, 2);
    assert_eq!(doc.counts.list_items, 10);
    assert_eq!(doc.counts.tables, 2, "the nested table counts too");
    assert_eq!(doc.counts.table_rows, 2);
    assert_eq!((doc.counts.footnotes, doc.counts.endnotes), (1, 0));
    assert!(!doc.tracked_changes);
    assert!(doc.comments.is_empty());
}

#[test]
fn an_imported_word_file_is_one_undoable_change_and_its_table_rows_are_searchable() {
    let mut f = fresh();
    let dir = f.dir.path().to_owned();
    let path = dir.join("health-imr.docx");
    std::fs::write(&path, features_docx()).unwrap();
    let before = dump(&f.review).unwrap();
    let mut reports: Vec<ImportProgress> = Vec::new();
    let result = f
        .review
        .import_document(SourceInput::default(), &path, None, &mut |p| {
            reports.push(p)
        })
        .unwrap();
    assert_eq!(result.format, FileFormat::Docx);
    assert_eq!(
        result.source.title, "health-imr",
        "the title falls back on the file name"
    );
    assert_eq!(result.source.file_name, "health-imr.docx");
    assert_eq!(result.source.file_sha256.len(), 64);
    assert_eq!(result.source.paragraph_count, 18);
    assert_eq!(result.counts.table_rows, 2);
    assert!(result.reanchored.is_empty() && result.unplaced.is_empty());
    assert!(!reports.is_empty() && reports.len() <= 10, "{reports:?}");
    let last = reports.last().unwrap();
    assert_eq!(last.done, last.total);

    let paras = all_paragraphs(&f.review, &result.source.id);
    assert_eq!(paras[0].kind, ParagraphKind::Heading);
    assert_eq!(paras[0].heading_level, 1);
    assert_eq!(paras[4].kind, ParagraphKind::ListItem);
    assert_eq!(paras[17].kind, ParagraphKind::Footnote);
    assert_eq!(paras[17].label.as_deref(), Some("Footnote 1"));

    let hits = paragraph_hits(&f.review, "Police officers flat");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].object_id, paras[15].id);
    assert_eq!(paras[15].kind, ParagraphKind::TableRow);
    assert_eq!(hits[0].location.paragraph_seq, Some(16));
    let hits = paragraph_hits(&f.review, "Working Together 2018");
    assert_eq!(
        hits[0].location.paragraph_label.as_deref(),
        Some("Footnote 1")
    );

    f.review.undo().unwrap();
    assert_eq!(
        dump(&f.review).unwrap(),
        before,
        "one undo takes the whole import away"
    );
    assert!(paragraph_hits(&f.review, "Police officers flat").is_empty());
    f.review.redo().unwrap();
    assert_eq!(all_paragraphs(&f.review, &result.source.id), paras);
}

#[test]
fn tracked_changes_give_the_accepted_reading_and_comments_are_listed() {
    let mut f = fresh();
    let result = import_bytes(
        &mut f.review,
        titled("School nursing IMR"),
        "tracked.docx",
        changes_docx(),
        None,
    )
    .unwrap();
    assert!(
        result.tracked_changes,
        "the user is told about tracked changes"
    );
    let paras = all_paragraphs(&f.review, &result.source.id);
    let texts: Vec<(&str, Option<&str>)> = paras
        .iter()
        .map(|p| (p.text.as_str(), p.label.as_deref()))
        .collect();
    assert_eq!(
        texts,
        vec![
            ("Findings", None),
            (
                "The health visitor promptly made a referral to children's social care.",
                None
            ),
            (
                "Paragraph one ends here and continues after a deleted break.",
                None
            ),
            (
                "The school nurse saw her twice in May.[1] Both visits were recorded.[E1]",
                None
            ),
            ("School nursing records, May 2019.", Some("Footnote 1")),
            ("See the chronology, entry 14.", Some("Endnote 1")),
        ]
    );
    assert_eq!(paras[0].heading_level, 1);
    assert_eq!(paras[5].kind, ParagraphKind::Endnote);
    assert!(
        paragraph_hits(&f.review, "was never").is_empty(),
        "deleted text is gone"
    );
    assert!(paragraph_hits(&f.review, "mother").is_empty());

    assert_eq!(result.comments.len(), 1);
    let c = &result.comments[0];
    assert_eq!(c.author, "Sam Author");
    assert_eq!(c.date.as_deref(), Some("2024-05-02T09:30:00Z"));
    assert_eq!(c.text, "Which visits? Check with the school.");
    assert_eq!(c.quoted, "saw her twice");
    assert_eq!(c.paragraph_seq, Some(4));
    assert_eq!(c.paragraph_id.as_deref(), Some(paras[3].id.as_str()));
    assert_eq!((result.counts.footnotes, result.counts.endnotes), (1, 1));
}

// ---------------------------------------------------------------------------------------------
// A file from a writer library
// ---------------------------------------------------------------------------------------------

fn docx_rs_file() -> Vec<u8> {
    use docx_rs::{
        AbstractNumbering, Comment, Docx, Header, IndentLevel, Level, LevelJc, LevelText,
        NumberFormat, Numbering, NumberingId, Paragraph as P, Run, Start, Style, StyleType, Table,
        TableCell, TableRow,
    };
    let text = |t: &str| P::new().add_run(Run::new().add_text(t));
    let cell = |t: &str| TableCell::new().add_paragraph(text(t));
    let doc = Docx::new()
        .add_style(Style::new("Heading1", StyleType::Paragraph).name("Heading 1"))
        .add_style(Style::new("Heading2", StyleType::Paragraph).name("heading 2"))
        .add_abstract_numbering(
            AbstractNumbering::new(5)
                .add_level(Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("decimal"),
                    LevelText::new("%1."),
                    LevelJc::new("left"),
                ))
                .add_level(Level::new(
                    1,
                    Start::new(1),
                    NumberFormat::new("lowerLetter"),
                    LevelText::new("%2)"),
                    LevelJc::new("left"),
                )),
        )
        .add_numbering(Numbering::new(3, 5))
        .header(Header::new().add_paragraph(text("OFFICIAL SENSITIVE header")))
        .add_paragraph(text("Agency response").style("Heading1"))
        .add_paragraph(text("2.1 The referral was received on 3 April."))
        .add_paragraph(text("Actions agreed").style("Heading2"))
        .add_paragraph(
            text("Review the threshold document")
                .numbering(NumberingId::new(3), IndentLevel::new(0)),
        )
        .add_paragraph(
            text("Brief the duty team").numbering(NumberingId::new(3), IndentLevel::new(1)),
        )
        .add_paragraph(text("Audit ten cases").numbering(NumberingId::new(3), IndentLevel::new(1)))
        .add_paragraph(
            text("Report to the board").numbering(NumberingId::new(3), IndentLevel::new(0)),
        )
        .add_table(Table::new(vec![
            TableRow::new(vec![cell("Date"), cell("Contact")]),
            TableRow::new(vec![
                cell("12/05/2020"),
                cell("Home visit by the social worker"),
            ]),
        ]))
        .add_paragraph(
            P::new()
                .add_comment_start(
                    Comment::new(1)
                        .author("Panel chair")
                        .date("2024-01-01T00:00:00Z")
                        .add_paragraph(text("Is this date right?")),
                )
                .add_run(Run::new().add_text("The case was closed in June."))
                .add_comment_end(1),
        );
    let mut out = Cursor::new(Vec::new());
    doc.build().pack(&mut out).unwrap();
    out.into_inner()
}

#[test]
fn a_file_from_the_docx_rs_writer_imports_with_styles_numbering_tables_and_comments() {
    let doc = read_docx(&docx_rs_file(), "response.docx").unwrap();
    use ParagraphKind::*;
    assert_eq!(
        shape(&doc),
        vec![
            (Heading, None, 1, "Agency response"),
            (
                Body,
                Some("2.1"),
                0,
                "The referral was received on 3 April."
            ),
            (Heading, None, 2, "Actions agreed"),
            (ListItem, Some("1"), 0, "Review the threshold document"),
            (ListItem, Some("a"), 0, "Brief the duty team"),
            (ListItem, Some("b"), 0, "Audit ten cases"),
            (ListItem, Some("2"), 0, "Report to the board"),
            (TableRow, None, 0, "Date | Contact"),
            (
                TableRow,
                None,
                0,
                "12/05/2020 | Home visit by the social worker"
            ),
            (Body, None, 0, "The case was closed in June."),
        ],
        "the header is not part of the text"
    );
    assert_eq!(doc.comments.len(), 1);
    assert_eq!(doc.comments[0].author, "Panel chair");
    assert_eq!(doc.comments[0].text, "Is this date right?");
    assert_eq!(doc.comments[0].paragraph_seq, Some(10));
    assert_eq!(doc.comments[0].quoted, "The case was closed in June.");
}

// ---------------------------------------------------------------------------------------------
// Parts of the format written by hand
// ---------------------------------------------------------------------------------------------

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
  <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
  <w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/></w:style>
  <w:style w:type="paragraph" w:styleId="Custom"><w:name w:val="Section head"/><w:basedOn w:val="berschrift1"/></w:style>
  <w:style w:type="paragraph" w:styleId="Outlined"><w:name w:val="Deep head"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
  <w:style w:type="paragraph" w:styleId="Loop1"><w:name w:val="Loop one"/><w:basedOn w:val="Loop2"/></w:style>
  <w:style w:type="paragraph" w:styleId="Loop2"><w:name w:val="Loop two"/><w:basedOn w:val="Loop1"/></w:style>
  <w:style w:type="paragraph" w:styleId="RecList"><w:name w:val="Recommendation"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr><w:pPrChange w:id="9"><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:pPrChange></w:pPr></w:style>
</w:styles>"#;

const NUMBERING: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
  <w:abstractNum w:abstractNumId="10">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%3)"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="11">
    <w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1)"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="12">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="R%1"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="11"/></w:num>
  <w:num w:numId="3"><w:abstractNumId w:val="10"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>
  <w:num w:numId="4"><w:abstractNumId w:val="12"/></w:num>
</w:numbering>"#;

fn styled(style: &str, text: &str) -> String {
    format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
}

fn numbered(num: u32, level: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

fn hand_made() -> Vec<u8> {
    let body = [
        styled("berschrift1", "Scope"),
        styled("Custom", "4.2 Method"),
        styled("Outlined", "Deep heading"),
        r#"<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>Direct outline</w:t></w:r></w:p>"#.into(),
        styled("Title", "Child T review"),
        styled("Loop1", "A style chain that loops"),
        numbered(1, 0, "Alpha"),
        numbered(1, 1, "Beta"),
        numbered(1, 1, "Gamma"),
        numbered(1, 2, "Delta"),
        numbered(1, 0, "Epsilon"),
        numbered(2, 0, "Zeta"),
        numbered(3, 0, "Eta restarts at seven"),
        styled("RecList", "First recommendation"),
        styled("RecList", "Second recommendation"),
        r#"<w:p><w:pPr><w:pStyle w:val="RecList"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>Not numbered after all</w:t></w:r></w:p>"#.into(),
        // Fields: the result stays, the instruction goes.
        r#"<w:p><w:r><w:t xml:space="preserve">See page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>12</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> and the letter of </w:t></w:r><w:fldSimple w:instr=" DATE \@ &quot;d MMMM yyyy&quot; "><w:r><w:t>1 May 2024</w:t></w:r></w:fldSimple><w:r><w:t>.</w:t></w:r></w:p>"#.into(),
        // Hyperlinks, smart tags, content controls and custom XML keep their text.
        r#"<w:p><w:hyperlink w:anchor="x"><w:r><w:t xml:space="preserve">The portal </w:t></w:r></w:hyperlink><w:smartTag w:element="place"><w:r><w:t xml:space="preserve">in Leeds </w:t></w:r></w:smartTag><w:sdt><w:sdtPr><w:alias w:val="Name"/><w:placeholder><w:docPart w:val="x"/></w:placeholder></w:sdtPr><w:sdtContent><w:r><w:t xml:space="preserve">was down </w:t></w:r></w:sdtContent></w:sdt><w:customXml w:element="c"><w:r><w:t>all week.</w:t></w:r></w:customXml></w:p>"#.into(),
        // Tabs, breaks, hyphens, symbols and entities.
        r#"<w:p><w:r><w:t>Name:</w:t><w:tab/><w:t>Jo</w:t><w:br/><w:t>Smith, co</w:t><w:noBreakHyphen/><w:t>operating</w:t><w:softHyphen/><w:sym w:font="Symbol" w:char="2013"/><w:t xml:space="preserve"> Tom &amp; Jerry &#8216;quoted&#x2019;</w:t><w:br w:type="page"/><w:t>end</w:t></w:r></w:p>"#.into(),
        // A text box: the choice is read, the fallback (the same box again) is not.
        r#"<w:p><w:r><w:t xml:space="preserve">Before the box. </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>Text in a box</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Text in a box</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>After the box.</w:t></w:r></w:p>"#.into(),
        // Moves: the text is kept where it went to; formatting changes leave the text alone.
        r#"<w:p><w:moveFrom w:id="1" w:author="A"><w:r><w:t>Moved words</w:t></w:r></w:moveFrom><w:r><w:rPr><w:b/><w:rPrChange w:id="2" w:author="A"><w:rPr/></w:rPrChange></w:rPr><w:t xml:space="preserve">Stays. </w:t></w:r><w:moveTo w:id="3" w:author="A"><w:r><w:t>Moved words</w:t></w:r></w:moveTo></w:p>"#.into(),
        // A table with a deleted row and an inserted one.
        r#"<w:tbl><w:tblPr><w:tblW w:w="0"/></w:tblPr><w:tblGrid><w:gridCol/></w:tblGrid><w:tr><w:tc><w:tcPr><w:tcW w:w="1"/></w:tcPr><w:p><w:r><w:t>Kept row</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>one</w:t></w:r></w:p><w:p><w:r><w:t>two</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:trPr><w:del w:id="4" w:author="A"/></w:trPr><w:tc><w:p><w:r><w:delText>Deleted row</w:delText></w:r></w:p></w:tc></w:tr><w:tr><w:trPr><w:ins w:id="5" w:author="A"/></w:trPr><w:tc><w:p><w:ins w:id="6" w:author="A"><w:r><w:t>Inserted row</w:t></w:r></w:ins></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>"#.into(),
        // Empty paragraphs and a picture alone go.
        "<w:p/>".into(),
        r#"<w:p><w:r><w:t xml:space="preserve">   </w:t></w:r></w:p>"#.into(),
        r#"<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:docPr id="1" name="Picture 1"/></wp:inline></w:drawing></w:r></w:p>"#.into(),
        para("12) Last typed label."),
    ]
    .concat();
    docx(
        &document_xml(&body),
        &[
            ("word/styles.xml", STYLES.to_owned()),
            ("word/numbering.xml", NUMBERING.to_owned()),
            (
                "word/header1.xml",
                format!(r#"<w:hdr xmlns:w="{W}">{}</w:hdr>"#, para("HEADER TEXT")),
            ),
        ],
    )
}

#[test]
fn styles_numbering_fields_text_boxes_and_moves_read_as_word_shows_them() {
    let doc = read_docx(&hand_made(), "hand.docx").unwrap();
    use ParagraphKind::*;
    assert_eq!(
        shape(&doc),
        vec![
            (Heading, None, 1, "Scope"),
            (Heading, Some("4.2"), 1, "Method"),
            (Heading, None, 3, "Deep heading"),
            (Heading, None, 2, "Direct outline"),
            (Heading, None, 1, "Child T review"),
            (Body, None, 0, "A style chain that loops"),
            (ListItem, Some("1"), 0, "Alpha"),
            (ListItem, Some("1.1"), 0, "Beta"),
            (ListItem, Some("1.2"), 0, "Gamma"),
            (ListItem, Some("i"), 0, "Delta"),
            (ListItem, Some("2"), 0, "Epsilon"),
            (ListItem, Some("C"), 0, "Zeta"),
            (ListItem, Some("7"), 0, "Eta restarts at seven"),
            (ListItem, Some("R1"), 0, "First recommendation"),
            (ListItem, Some("R2"), 0, "Second recommendation"),
            (Body, None, 0, "Not numbered after all"),
            (Body, None, 0, "See page 12 and the letter of 1 May 2024."),
            (Body, None, 0, "The portal in Leeds was down all week."),
            (
                Body,
                None,
                0,
                "Name:\tJo\nSmith, co-operating– Tom & Jerry \u{2018}quoted\u{2019} end"
            ),
            (Body, None, 0, "Text in a box"),
            (Body, None, 0, "Before the box. After the box."),
            (Body, None, 0, "Stays. Moved words"),
            (TableRow, None, 0, "Kept row | one two"),
            (TableRow, None, 0, "Inserted row |"),
            (Body, Some("12"), 0, "Last typed label."),
        ]
    );
    assert!(doc.tracked_changes);
    assert_eq!(doc.counts.tables, 1);
    assert_eq!(doc.counts.table_rows, 2, "the deleted row is not counted");
    assert!(!shape(&doc).iter().any(|p| p.3.contains("HEADER")));
}

#[test]
fn a_damaged_field_costs_only_its_own_paragraph() {
    let begins = r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r>"#.repeat(200);
    let body = format!(
        r#"<w:p><w:r><w:t xml:space="preserve">Kept before </w:t></w:r>{begins}<w:r><w:t>lost inside</w:t></w:r></w:p>{}"#,
        para("The next paragraph is kept.")
    );
    let doc = read_docx(&docx(&document_xml(&body), &[]), "field.docx").unwrap();
    let texts: Vec<&str> = doc.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(texts, vec!["Kept before", "The next paragraph is kept."]);
}

#[test]
fn a_word_document_without_tracked_changes_says_so() {
    let doc = read_docx(
        &docx(&document_xml(&para("Plain text only.")), &[]),
        "plain.docx",
    )
    .unwrap();
    assert!(!doc.tracked_changes);
    assert_eq!(doc.counts.paragraphs, 1);
}

// ---------------------------------------------------------------------------------------------
// The Child S corpus as a Word file
// ---------------------------------------------------------------------------------------------

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_child_s_summary_as_a_word_file_keeps_all_37_recommendations_findable_with_their_numbers() {
    let text = std::fs::read_to_string(corpus("child-s-executive-summary.txt")).unwrap();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let six = lines
        .iter()
        .position(|l| l.starts_with("SECTION SIX"))
        .unwrap();
    let mut expected: Vec<(i64, String)> = Vec::new();
    for line in &lines[six..] {
        if let Some((n, rest)) = line.split_once(". ") {
            if let Ok(n) = n.parse::<i64>() {
                if n == expected.len() as i64 + 1 {
                    expected.push((n, squash(rest)));
                }
            }
        }
    }
    assert_eq!(expected.len(), 37, "the corpus holds 37 recommendations");

    let mut f = fresh();
    let result = import_bytes(
        &mut f.review,
        titled("Child S executive summary"),
        "child-s.docx",
        child_s_docx(),
        None,
    )
    .unwrap();
    let paras = all_paragraphs(&f.review, &result.source.id);
    let six_at = paras
        .iter()
        .position(|p| p.text.starts_with("SECTION SIX"))
        .unwrap();
    for (n, rec_text) in &expected {
        let label = n.to_string();
        let p = paras[six_at..]
            .iter()
            .find(|p| p.label.as_deref() == Some(label.as_str()))
            .unwrap_or_else(|| panic!("recommendation {n} has its number as its label"));
        assert_eq!(squash(&p.text), *rec_text, "recommendation {n}");
        let words: Vec<&str> = rec_text.split_whitespace().take(8).collect();
        let hits = paragraph_hits(&f.review, &words.join(" "));
        let hit = hits
            .iter()
            .find(|h| h.object_id == p.id)
            .unwrap_or_else(|| panic!("recommendation {n} is found by its words"));
        assert_eq!(
            hit.location.paragraph_label.as_deref(),
            Some(label.as_str())
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile and broken files
// ---------------------------------------------------------------------------------------------

/// A review with something in it, to show that refused files change nothing.
fn populated() -> Fixture {
    let mut f = fresh();
    f.review
        .import_text(titled("Police IMR"), "1. Officers attended the flat.")
        .unwrap();
    f
}

/// Tries to import `bytes` as `name` and returns the reason it was refused, checking that
/// the review did not change.
fn refused(f: &mut Fixture, name: &str, bytes: &[u8]) -> String {
    let before = dump(&f.review).unwrap();
    let undo = f.review.undo_state().unwrap();
    let err = import_bytes(&mut f.review, titled("Hostile"), name, bytes, None).unwrap_err();
    assert_eq!(err.code(), "bad_document", "{err}");
    assert!(err.to_string().ends_with("; nothing was imported"), "{err}");
    assert_eq!(
        dump(&f.review).unwrap(),
        before,
        "{name} changed the review"
    );
    assert_eq!(f.review.undo_state().unwrap(), undo);
    bad_reason(err, name)
}

#[test]
fn a_zip_bomb_is_refused_before_it_inflates() {
    let mut f = populated();
    let zeros = vec![0u8; 3 * 1024 * 1024];
    let bomb = docx(
        &document_xml(&para("Looks harmless.")),
        &[("word/media/zeros.bin", String::from_utf8(zeros).unwrap())],
    );
    assert!(
        bomb.len() < 100 * 1024,
        "the bomb is small: {} bytes",
        bomb.len()
    );
    let reason = refused(&mut f, "bomb.docx", &bomb);
    assert!(
        reason.starts_with(
            "part word/media/zeros.bin would inflate to more than 100 times its compressed size"
        ),
        "{reason}"
    );
}

#[test]
fn a_part_declaring_more_than_64_mb_is_refused() {
    let mut f = populated();
    let mut bytes = docx(&document_xml(&para("Text.")), &[]);
    patch_declared(
        &mut bytes,
        "word/document.xml",
        Some(60 * 1024 * 1024),
        65 * 1024 * 1024,
    );
    assert_eq!(
        refused(&mut f, "huge.docx", &bytes),
        "part word/document.xml would inflate past 64 MB"
    );
}

#[test]
fn a_part_whose_header_lies_about_its_size_is_caught_while_inflating() {
    let mut f = populated();
    let long: String = (0..400)
        .map(|i| para(&format!("Paragraph {i} of text.")))
        .collect();
    let mut bytes = docx(&document_xml(&long), &[]);
    patch_declared(&mut bytes, "word/document.xml", None, 100);
    assert_eq!(
        refused(&mut f, "liar.docx", &bytes),
        "part word/document.xml holds more data than its zip header declares"
    );
}

#[test]
fn too_many_parts_are_refused() {
    let mut f = populated();
    let mut parts: Vec<(&str, Vec<u8>)> = vec![(
        "word/document.xml",
        document_xml(&para("Text.")).into_bytes(),
    )];
    let names: Vec<String> = (0..1000).map(|i| format!("word/media/{i}.txt")).collect();
    for n in &names {
        parts.push((n.as_str(), b"x".to_vec()));
    }
    let bytes = package(&parts);
    assert_eq!(
        refused(&mut f, "crowded.docx", &bytes),
        "it holds more than 1,000 parts"
    );
}

#[test]
fn a_truncated_file_is_refused() {
    let mut f = populated();
    let whole = docx_rs_file();
    let reason = refused(&mut f, "cut.docx", &whole[..whole.len() / 2]);
    assert!(
        reason.starts_with("it is damaged or incomplete, perhaps cut short in copying"),
        "{reason}"
    );
}

#[test]
fn a_doctype_or_external_entity_is_refused() {
    let mut f = populated();
    let xml = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"#
    );
    assert_eq!(
        refused(&mut f, "xxe.docx", &docx(&xml, &[])),
        "part word/document.xml declares a DOCTYPE, which Word documents never do"
    );
    // A DOCTYPE in the styles part is refused just the same.
    let styles = format!(r#"<!DOCTYPE x><w:styles xmlns:w="{W}"/>"#);
    assert_eq!(
        refused(
            &mut f,
            "styles.docx",
            &docx(
                &document_xml(&para("Text.")),
                &[("word/styles.xml", styles)]
            )
        ),
        "part word/styles.xml declares a DOCTYPE, which Word documents never do"
    );
}

#[test]
fn malformed_xml_is_refused_with_its_line() {
    let mut f = populated();
    let xml =
        format!("<w:document xmlns:w=\"{W}\">\n<w:body>\n<w:p></w:r>\n</w:body></w:document>");
    let reason = refused(&mut f, "broken.docx", &docx(&xml, &[]));
    assert!(
        reason.starts_with("part word/document.xml is not valid XML (line 3:"),
        "{reason}"
    );
    let unclosed = format!("<w:document xmlns:w=\"{W}\"><w:body><w:p>");
    let reason = refused(&mut f, "unclosed.docx", &docx(&unclosed, &[]));
    assert!(
        reason.contains("ends before all its elements are closed"),
        "{reason}"
    );
    let entity = document_xml(&para("Fish &chips; tonight"));
    let reason = refused(&mut f, "entity.docx", &docx(&entity, &[]));
    assert!(reason.contains("unknown entity &chips;"), "{reason}");
}

#[test]
fn more_than_ten_million_characters_of_text_are_refused() {
    let mut f = populated();
    // Letters that do not repeat in a pattern, so the part does not compress like a bomb.
    let mut seed: u64 = 42;
    let text: String = (0..10_000_100)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let k = (seed >> 33) % 27;
            if k == 26 {
                ' '
            } else {
                (b'a' + k as u8) as char
            }
        })
        .collect();
    let bytes = docx(&document_xml(&para(&text)), &[]);
    assert_eq!(
        refused(&mut f, "long.docx", &bytes),
        "it holds more than 10 million characters of text"
    );
}

#[test]
fn files_that_are_not_word_documents_are_refused() {
    let mut f = populated();
    assert_eq!(
        refused(&mut f, "notes.docx", b"Just some text in a .docx name."),
        "it is not a Word document (a .docx file is a zip package, and this is not one)"
    );
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    assert!(
        refused(&mut f, "locked.docx", &ole).starts_with("it is a password-protected Word file")
    );
    let no_document = package(&[("word/other.xml", b"<x/>".to_vec())]);
    assert_eq!(
        refused(&mut f, "empty.docx", &no_document),
        "it has no main document part (word/document.xml), so it is not a Word document"
    );
    let no_text = docx(&document_xml("<w:p/>"), &[]);
    assert_eq!(refused(&mut f, "blank.docx", &no_text), "it holds no text");
}

#[test]
fn a_file_over_50_mb_is_refused_before_it_is_read() {
    let mut f = populated();
    let path = f.dir.path().join("enormous.docx");
    std::fs::File::create(&path)
        .unwrap()
        .set_len(50 * 1024 * 1024 + 1)
        .unwrap();
    let before = dump(&f.review).unwrap();
    let err = f
        .review
        .import_document(titled("Big"), &path, None, &mut |_| {})
        .unwrap_err();
    assert_eq!(bad_reason(err, "enormous.docx"), "it is larger than 50 MB");
    assert_eq!(dump(&f.review).unwrap(), before);
}

#[test]
fn old_word_opendocument_pdf_and_spreadsheet_files_are_refused_with_advice() {
    let mut f = populated();
    let before = dump(&f.review).unwrap();
    for (file, advice) in [
        ("imr.doc", "save it as .docx"),
        ("imr.odt", "save it as .docx"),
        ("imr.pdf", "save it as .docx"),
        ("chronology.xlsx", "imported as chronologies"),
        ("imr.rtfd", "save documents as .docx"),
    ] {
        let path = f.dir.path().join(file);
        std::fs::write(&path, b"whatever").unwrap();
        let err = f
            .review
            .import_document(titled("X"), &path, None, &mut |_| {})
            .unwrap_err();
        assert_eq!(err.code(), "unsupported", "{file}: {err}");
        assert!(err.to_string().contains(advice), "{file}: {err}");
        assert!(err.to_string().starts_with(file), "{file}: {err}");
    }
    assert_eq!(dump(&f.review).unwrap(), before);
}

// ---------------------------------------------------------------------------------------------
// Text files through the same door
// ---------------------------------------------------------------------------------------------

#[test]
fn text_and_markdown_files_import_through_the_same_function() {
    let mut f = fresh();
    let latin1 = b"1. Caf\xE9 visit in March.\n\n2. Second point.\n";
    let result = import_bytes(&mut f.review, titled("Notes"), "notes.txt", latin1, None).unwrap();
    assert_eq!(result.format, FileFormat::Text);
    let paras = all_paragraphs(&f.review, &result.source.id);
    assert_eq!(
        paras[0].text, "Café visit in March.",
        "Windows-1252 is read"
    );
    assert_eq!(paras[0].label.as_deref(), Some("1"));

    let md = "# Scope\n\nThe review looked at 2019.\n\n- first bullet\n- second bullet\n";
    let result = import_bytes(
        &mut f.review,
        titled("Plan"),
        "plan.md",
        md.as_bytes(),
        None,
    )
    .unwrap();
    let paras = all_paragraphs(&f.review, &result.source.id);
    let got: Vec<(ParagraphKind, Option<&str>, i64, &str)> = paras
        .iter()
        .map(|p| (p.kind, p.label.as_deref(), p.heading_level, p.text.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (ParagraphKind::Heading, None, 1, "Scope"),
            (ParagraphKind::Body, None, 0, "The review looked at 2019."),
            (ParagraphKind::ListItem, Some("•"), 0, "first bullet"),
            (ParagraphKind::ListItem, Some("•"), 0, "second bullet"),
        ]
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Zoë said no.".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    let result = import_bytes(&mut f.review, titled("Note"), "zoe.txt", &utf16, None).unwrap();
    assert_eq!(
        all_paragraphs(&f.review, &result.source.id)[0].text,
        "Zoë said no."
    );
    let err = import_bytes(&mut f.review, titled("Bin"), "bin.txt", b"ab\0cd", None).unwrap_err();
    assert!(bad_reason(err, "bin.txt").contains("NUL character (line 1)"));
}

// ---------------------------------------------------------------------------------------------
// A re-issued IMR
// ---------------------------------------------------------------------------------------------

/// A Word file of labelled paragraphs under one heading.
fn imr_version(paragraphs: &[&str]) -> Vec<u8> {
    let mut body = String::from(
        r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Practice episodes</w:t></w:r></w:p>"#,
    );
    for p in paragraphs {
        body.push_str(&para(p));
    }
    let styles = format!(
        r#"<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>"#
    );
    docx(&document_xml(&body), &[("word/styles.xml", styles)])
}

const V1: [&str; 4] = [
    "3.1 The health visitor visited the family home on 3 March and saw the baby asleep.",
    "3.2 The GP was not told about the bruise until April, which delayed the referral.",
    "3.3 Children's social care closed the case after a single visit in May.",
    "3.4 The school raised concerns about attendance in the autumn term.",
];

const V2: [&str; 5] = [
    "3.0 This version adds the agency's response to the panel's questions.",
    "3.1 The health visitor visited the family home on 3 March and saw the baby asleep.",
    "3.2 The GP was not informed about the bruise until April, which delayed the referral.",
    "3.3 Children's social care closed the case after a single visit in May.",
    "3.5 Later a nurse also saw the baby asleep during a clinic visit.",
];

#[test]
fn a_re_issued_imr_moves_excerpts_onto_the_new_version_and_lists_the_rest() {
    let mut f = fresh();
    let r = &mut f.review;
    let agency = r
        .add_agency(AgencyInput {
            name: "Health visiting".into(),
            short_name: "HV".into(),
            sector: "health".into(),
        })
        .unwrap();
    let v1 = import_bytes(
        r,
        SourceInput {
            kind: SourceKind::Imr,
            agency_id: Some(agency.id.clone()),
            title: "Health visiting IMR".into(),
            author: "J. Author".into(),
            version: "1".into(),
            confidence: Confidence::Medium,
            confidence_reason: "Thin on supervision".into(),
            ..SourceInput::default()
        },
        "hv-imr-v1.docx",
        &imr_version(&V1),
        None,
    )
    .unwrap()
    .source;
    let p1 = all_paragraphs(r, &v1.id);
    assert_eq!(p1[1].label.as_deref(), Some("3.1"));
    let asleep = r
        .excerpt_for_text(&p1[1].id, "saw the baby asleep")
        .unwrap();
    let closed = r
        .excerpt_for_text(&p1[3].id, "closed the case after a single visit")
        .unwrap();
    let edited = r
        .excerpt_for_text(
            &p1[2].id,
            "The GP was not told about the bruise until April",
        )
        .unwrap();
    let removed = r
        .excerpt_for_text(&p1[4].id, "The school raised concerns about attendance")
        .unwrap();
    let finding = r
        .add_finding(FindingInput {
            theme_id: None,
            kind: FindingKind::Practice,
            statement: "Health information did not reach the GP in time".into(),
            analysis: String::new(),
        })
        .unwrap();
    for x in [&asleep, &closed, &edited, &removed] {
        r.link_evidence(
            &finding.id,
            EvidenceTarget::Excerpt(x.id.clone()),
            Relation::Supports,
            "",
        )
        .unwrap();
    }
    let before = dump(r).unwrap();

    let v2 = import_bytes(
        r,
        SourceInput {
            version: "2".into(),
            ..SourceInput::default()
        },
        "hv-imr-v2.docx",
        &imr_version(&V2),
        Some(&v1.id),
    )
    .unwrap();
    let new = &v2.source;
    assert_eq!(new.supersedes_id.as_deref(), Some(v1.id.as_str()));
    assert_eq!(new.title, "Health visiting IMR", "the title carries over");
    assert_eq!(new.kind, SourceKind::Imr);
    assert_eq!(new.agency_id.as_deref(), Some(agency.id.as_str()));
    assert_eq!(new.confidence, Confidence::Medium);
    assert_eq!(new.confidence_reason, "Thin on supervision");
    assert_eq!(new.author, "J. Author");
    assert_eq!(new.version, "2");
    let old = r.source(&v1.id).unwrap();
    assert_eq!(old.superseded_by_id.as_deref(), Some(new.id.as_str()));
    assert_eq!(old.paragraph_count, 5, "the old version stays whole");

    let p2 = all_paragraphs(r, &new.id);
    let moved = |id: &str| v2.reanchored.iter().find(|m| m.excerpt_id == id).unwrap();
    assert_eq!(v2.reanchored.len(), 3);

    // Exact matches move to the paragraph with the same label, not the later repeat.
    let m = moved(&asleep.id);
    assert!(m.exact);
    assert_eq!(m.similarity, 1.0);
    assert_eq!(m.paragraph_label.as_deref(), Some("3.1"));
    let x = r.excerpt(&asleep.id).unwrap();
    assert_eq!(
        (x.source_id.as_str(), x.paragraph_id.as_str()),
        (new.id.as_str(), p2[2].id.as_str())
    );
    assert_eq!(x.quote, "saw the baby asleep");
    assert!(r.excerpt_is_current(&asleep.id).unwrap());
    assert!(moved(&closed.id).exact);
    assert_eq!(r.excerpt(&closed.id).unwrap().paragraph_id, p2[4].id);

    // The lightly edited one moves by similarity and quotes the new words.
    let m = moved(&edited.id);
    assert!(!m.exact);
    assert!(
        m.similarity >= REANCHOR_THRESHOLD && m.similarity < 1.0,
        "{m:?}"
    );
    assert_eq!(
        m.quote,
        "The GP was not informed about the bruise until April"
    );
    assert_eq!(
        m.old_quote,
        "The GP was not told about the bruise until April"
    );
    let x = r.excerpt(&edited.id).unwrap();
    assert_eq!(x.paragraph_id, p2[3].id);
    assert_eq!(x.quote, m.quote);
    assert!(
        r.excerpt_is_current(&edited.id).unwrap(),
        "offsets and hash fit the new text"
    );

    // The removed one is listed and still quotes the old version.
    assert_eq!(v2.unplaced.len(), 1);
    let u = &v2.unplaced[0];
    assert_eq!(u.excerpt_id, removed.id);
    assert_eq!(u.quote, "The school raised concerns about attendance");
    assert_eq!(u.paragraph_label.as_deref(), Some("3.4"));
    assert_eq!(u.paragraph_id, p1[4].id);
    assert!(u.best_similarity < REANCHOR_THRESHOLD);
    assert_eq!(r.excerpt(&removed.id).unwrap(), removed);

    // The finding's evidence now cites the new version, except the unplaced excerpt.
    let evidence = r.evidence_for_finding(&finding.id).unwrap();
    let sources: Vec<&str> = evidence
        .iter()
        .map(|e| e.excerpt.as_ref().unwrap().source_id.as_str())
        .collect();
    assert_eq!(
        sources,
        vec![
            new.id.as_str(),
            new.id.as_str(),
            new.id.as_str(),
            v1.id.as_str()
        ]
    );
    assert_eq!(
        evidence[0]
            .excerpt
            .as_ref()
            .unwrap()
            .paragraph_label
            .as_deref(),
        Some("3.1")
    );

    // One undo puts everything back; redo does it all again.
    r.undo().unwrap();
    assert_eq!(dump(r).unwrap(), before);
    assert_eq!(r.excerpt(&edited.id).unwrap(), edited);
    r.redo().unwrap();
    assert_eq!(r.excerpt(&edited.id).unwrap().paragraph_id, p2[3].id);
    assert_eq!(
        r.source(&v1.id).unwrap().superseded_by_id.as_deref(),
        Some(new.id.as_str())
    );
}

#[test]
fn a_version_can_be_replaced_once_and_deleting_it_says_what_replaces_it() {
    let mut f = fresh();
    let r = &mut f.review;
    let v1 = import_bytes(r, titled("Police IMR"), "v1.docx", &imr_version(&V1), None)
        .unwrap()
        .source;
    let v2 = import_bytes(
        r,
        SourceInput::default(),
        "v2.docx",
        &imr_version(&V2),
        Some(&v1.id),
    )
    .unwrap()
    .source;
    let before = dump(r).unwrap();
    let err = import_bytes(
        r,
        SourceInput::default(),
        "v2b.docx",
        &imr_version(&V2),
        Some(&v1.id),
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(
        err.to_string()
            .contains("\"Police IMR\" is already replaced by a later version"),
        "{err}"
    );
    let err = import_bytes(
        r,
        SourceInput::default(),
        "v3.docx",
        &imr_version(&V2),
        Some("nope"),
    )
    .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(dump(r).unwrap(), before);

    let err = r.delete_source(&v1.id, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot delete source \"Police IMR\": 1 later version replaces this source"
    );
    r.delete_source(&v1.id, true).unwrap();
    assert_eq!(r.source(&v2.id).unwrap().supersedes_id, None);
    r.undo().unwrap();
    assert_eq!(
        r.source(&v2.id).unwrap().supersedes_id.as_deref(),
        Some(v1.id.as_str())
    );
    assert_eq!(dump(r).unwrap(), before);

    // The version chain, file names and paragraph kinds survive a JSON round trip.
    let copy = threadline::interchange::load(
        &before,
        &f.dir.path().join("copy.threadline"),
        crate::common::ctx(),
    )
    .unwrap();
    assert_eq!(dump(&copy).unwrap(), before);
    assert_eq!(
        copy.source(&v1.id).unwrap().superseded_by_id.as_deref(),
        Some(v2.id.as_str())
    );
    assert_eq!(copy.source(&v2.id).unwrap().file_name, "v2.docx");
}

// ---------------------------------------------------------------------------------------------
// Paragraph kinds and the schema change
// ---------------------------------------------------------------------------------------------

#[test]
fn typed_paragraphs_are_headings_or_body_text_and_imported_kinds_survive_edits() {
    let mut f = fresh();
    let r = &mut f.review;
    let typed = r
        .import_text(titled("Notes"), "1 BACKGROUND\n\nThe family moved.")
        .unwrap();
    let ps = all_paragraphs(r, &typed.id);
    assert_eq!(
        (ps[0].kind, ps[1].kind),
        (ParagraphKind::Heading, ParagraphKind::Body)
    );
    let edited = r
        .update_paragraph(
            &ps[0].id,
            threadline::model::sources::ParagraphInput::body("Background"),
        )
        .unwrap();
    assert_eq!(
        edited.kind,
        ParagraphKind::Body,
        "no heading level, no heading"
    );
    assert_eq!(typed.file_name, "");
    assert_eq!((typed.supersedes_id, typed.superseded_by_id), (None, None));

    let word = import_bytes(r, titled("Word"), "w.docx", changes_docx(), None)
        .unwrap()
        .source;
    let note = all_paragraphs(r, &word.id)
        .into_iter()
        .find(|p| p.kind == ParagraphKind::Footnote)
        .unwrap();
    let edited = r
        .update_paragraph(
            &note.id,
            threadline::model::sources::ParagraphInput {
                label: note.label.clone(),
                heading_level: 0,
                text: "School nursing records, June 2019.".into(),
            },
        )
        .unwrap();
    assert_eq!(
        edited.kind,
        ParagraphKind::Footnote,
        "a footnote stays a footnote"
    );
}

#[test]
fn a_version_1_review_file_gains_paragraph_kinds_and_source_versions_on_opening() {
    let mut f = fresh();
    let typed = f
        .review
        .import_text(titled("Old notes"), "1 BACKGROUND\n\nThe family moved.")
        .unwrap();
    f.review.close().unwrap();
    // Take the file back to schema version 1, as an older Threadline wrote it.
    let raw = rusqlite::Connection::open(&f.path).unwrap();
    raw.execute_batch(
        "DROP INDEX source_supersedes;
         ALTER TABLE source DROP COLUMN supersedes_id;
         ALTER TABLE source DROP COLUMN file_name;
         ALTER TABLE source DROP COLUMN file_sha256;
         ALTER TABLE paragraph DROP COLUMN kind;
         DROP TABLE IF EXISTS name_dismissal;
         DROP TABLE IF EXISTS approval;
         DROP TABLE IF EXISTS draft;
         ALTER TABLE comment DROP COLUMN edited_at;
         ALTER TABLE comment DROP COLUMN state_by;
         ALTER TABLE comment DROP COLUMN state_role;
         ALTER TABLE comment DROP COLUMN state_at;
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(raw);

    let review = Review::open(&f.path, crate::common::ctx()).unwrap();
    let ps = all_paragraphs(&review, &typed.id);
    assert_eq!(
        (ps[0].kind, ps[1].kind),
        (ParagraphKind::Heading, ParagraphKind::Body)
    );
    let source = review.source(&typed.id).unwrap();
    assert_eq!(
        (source.supersedes_id, source.file_name),
        (None, String::new())
    );
    assert_eq!(review.schema_version().unwrap(), threadline::SCHEMA_VERSION);
}

// ---------------------------------------------------------------------------------------------
// Nothing panics
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), zip_like in any::<bool>()) {
        let mut bytes = bytes;
        if zip_like {
            bytes.splice(0..0, *b"PK\x03\x04");
        }
        let _ = read_docx(&bytes, "random.docx");
    }

    #[test]
    fn a_mutated_real_file_never_panics(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        static FILE: OnceLock<Vec<u8>> = OnceLock::new();
        let mut bytes = FILE.get_or_init(docx_rs_file).clone();
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        let _ = read_docx(&bytes, "mutated.docx");
    }

    #[test]
    fn mutated_document_xml_never_panics(
        edits in proptest::collection::vec(
            (any::<prop::sample::Index>(), prop::sample::select(vec!['<', '>', '/', '&', ';', '"', '=', 'w', ':', 'p', 't', '#', ' ', '!', '?', 'x'])),
            1..12,
        ),
    ) {
        static XML: OnceLock<String> = OnceLock::new();
        let xml = XML.get_or_init(|| {
            let mut archive = zip::ZipArchive::new(Cursor::new(hand_made())).unwrap();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut text).unwrap();
            text
        });
        let mut chars: Vec<char> = xml.chars().collect();
        for (at, ch) in edits {
            let i = at.index(chars.len());
            chars[i] = ch;
        }
        let mutated: String = chars.into_iter().collect();
        let bytes = docx(&mutated, &[
            ("word/styles.xml", STYLES.to_owned()),
            ("word/numbering.xml", NUMBERING.to_owned()),
        ]);
        match read_docx(&bytes, "mutated.docx") {
            Ok(_) => {}
            Err(e) => prop_assert_eq!(e.code(), "bad_document"),
        }
    }
}

#[test]
fn reading_is_a_pure_function_of_the_bytes() {
    let bytes = features_docx();
    assert_eq!(
        read_docx(bytes, "a.docx").unwrap(),
        read_docx(bytes, "a.docx").unwrap()
    );
}
