//! "What changed" as files: an HTML page with insertions in `<ins>` and deletions in `<del>`
//! (every piece of review text escaped), and a Word document in which they are real tracked
//! changes (`w:ins` / `w:del` with author and date), so the chair can read them in Word or
//! LibreOffice with the usual review tools.

use std::io::{Cursor, Write};

use chrono::{DateTime, Utc};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::diff::{ChangeStatus, DraftDiff, RecordDiff, SectionDiff, SegmentKind};
use crate::error::{Error, Result};
use crate::export::escape;
use crate::model::sections::Document;
use crate::review::Review;

fn document_name(d: Document) -> &'static str {
    crate::search::document_name(d.as_str())
}

fn side_text(diff: &DraftDiff) -> String {
    let when = |s: &super::DiffSide| match &s.issued_at {
        Some(at) => format!("{} (issued {})", s.label, &at[..at.len().min(10)]),
        None => format!("{} (as it is now)", s.label),
    };
    format!("From {} to {}", when(&diff.from), when(&diff.to))
}

fn status_word(s: ChangeStatus) -> &'static str {
    match s {
        ChangeStatus::Added => "added",
        ChangeStatus::Removed => "removed",
        ChangeStatus::Changed => "changed",
        ChangeStatus::Renumbered => "renumbered",
        ChangeStatus::Unchanged => "unchanged",
    }
}

fn section_note(s: &SectionDiff) -> String {
    let mut notes = Vec::new();
    if s.status != ChangeStatus::Unchanged {
        notes.push(status_word(s.status).to_owned());
    }
    if s.moved {
        notes.push("moved".to_owned());
    }
    notes.join(", ")
}

/// The record groups in the order they are shown.
fn groups(diff: &DraftDiff) -> [(&'static str, &[RecordDiff]); 3] {
    [
        ("Terms of reference", &diff.tor),
        ("Findings", &diff.findings),
        ("Recommendations", &diff.recommendations),
    ]
}

/// The comparison as one HTML page. All review text is escaped; changes are `<ins>`/`<del>`.
pub fn diff_html(diff: &DraftDiff) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(&format!(
        "<title>What changed: {}</title>\n",
        escape(&diff.title)
    ));
    h.push_str(
        "<style>body{font-family:Arial,sans-serif;max-width:50em;margin:2em auto;line-height:1.5}\
         ins{background:#d7f5dc;text-decoration:underline}\
         del{background:#fbdada;text-decoration:line-through}\
         .body{white-space:pre-wrap}.note{color:#555;font-size:.9em}\
         table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3em .5em;\
         vertical-align:top;text-align:left}</style>\n</head>\n<body>\n",
    );
    h.push_str(&format!("<h1>{}</h1>\n", escape(&diff.title)));
    h.push_str(&format!(
        "<p class=\"note\">What changed. {}</p>\n",
        escape(&side_text(diff))
    ));
    let mut current: Option<Document> = None;
    for s in &diff.sections {
        if current != Some(s.document) {
            current = Some(s.document);
            h.push_str(&format!("<h2>{}</h2>\n", escape(document_name(s.document))));
        }
        h.push_str(&format!("<section id=\"s-{}\">\n<h3>", escape(&s.id)));
        match (s.status, &s.old_heading) {
            (ChangeStatus::Added, _) => h.push_str(&format!("<ins>{}</ins>", escape(&s.heading))),
            (ChangeStatus::Removed, _) => h.push_str(&format!("<del>{}</del>", escape(&s.heading))),
            (_, Some(old)) => h.push_str(&format!(
                "<del>{}</del> <ins>{}</ins>",
                escape(old),
                escape(&s.heading)
            )),
            _ => h.push_str(&escape(&s.heading)),
        }
        h.push_str("</h3>\n");
        let note = section_note(s);
        if !note.is_empty() {
            h.push_str(&format!("<p class=\"note\">{}</p>\n", escape(&note)));
        }
        h.push_str("<div class=\"body\">");
        for seg in &s.segments {
            let text = escape(&seg.text);
            match seg.kind {
                SegmentKind::Equal => h.push_str(&text),
                SegmentKind::Insert => h.push_str(&format!("<ins>{text}</ins>")),
                SegmentKind::Delete => h.push_str(&format!("<del>{text}</del>")),
            }
        }
        h.push_str("</div>\n</section>\n");
    }
    for (name, records) in groups(diff) {
        h.push_str(&format!("<h2>{name}</h2>\n"));
        if records.is_empty() {
            h.push_str("<p>No changes.</p>\n");
            continue;
        }
        h.push_str("<table>\n<tr><th>Record</th><th>Change</th><th>What</th></tr>\n");
        for r in records {
            let label = match &r.old_label {
                Some(old) => format!("{} (was {})", r.label, old),
                None => r.label.clone(),
            };
            h.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>",
                escape(&label),
                status_word(r.status)
            ));
            match r.status {
                ChangeStatus::Added => h.push_str(&format!("<ins>{}</ins>", escape(&r.text))),
                ChangeStatus::Removed => h.push_str(&format!("<del>{}</del>", escape(&r.text))),
                _ if r.fields.is_empty() => h.push_str(&escape(&r.text)),
                _ => {
                    for f in &r.fields {
                        h.push_str(&format!(
                            "<p><b>{}</b>: <del>{}</del> <ins>{}</ins></p>",
                            escape(&f.field),
                            escape(&f.old),
                            escape(&f.new)
                        ));
                    }
                }
            }
            h.push_str("</td></tr>\n");
        }
        h.push_str("</table>\n");
    }
    h.push_str("</body>\n</html>\n");
    h
}

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// Builds the Word body, numbering each tracked change.
struct Body {
    xml: String,
    /// The runs of the paragraph being built.
    runs: String,
    next_id: u32,
    author: String,
    date: String,
}

impl Body {
    fn run(text: &str, deleted: bool, bold: bool) -> String {
        let rpr = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
        let tag = if deleted { "w:delText" } else { "w:t" };
        format!(
            "<w:r>{rpr}<{tag} xml:space=\"preserve\">{}</{tag}></w:r>",
            escape(text)
        )
    }

    /// Adds text to the current paragraph: plain, inserted or deleted. Line breaks end the
    /// paragraph.
    fn text(&mut self, kind: SegmentKind, text: &str, bold: bool) {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.end_paragraph(None);
            }
            if line.is_empty() {
                continue;
            }
            match kind {
                SegmentKind::Equal => self.runs.push_str(&Body::run(line, false, bold)),
                SegmentKind::Insert | SegmentKind::Delete => {
                    let (tag, deleted) = if kind == SegmentKind::Insert {
                        ("w:ins", false)
                    } else {
                        ("w:del", true)
                    };
                    self.next_id += 1;
                    self.runs.push_str(&format!(
                        "<{tag} w:id=\"{}\" w:author=\"{}\" w:date=\"{}\">{}</{tag}>",
                        self.next_id,
                        escape(&self.author),
                        self.date,
                        Body::run(line, deleted, bold)
                    ));
                }
            }
        }
    }

    fn end_paragraph(&mut self, style: Option<&str>) {
        let ppr = style
            .map(|s| format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>"))
            .unwrap_or_default();
        if self.runs.is_empty() && style.is_none() {
            return;
        }
        self.xml.push_str(&format!(
            "<w:p>{ppr}{}</w:p>",
            std::mem::take(&mut self.runs)
        ));
    }

    fn paragraph(&mut self, style: Option<&str>, text: &str) {
        self.text(SegmentKind::Equal, text, false);
        self.end_paragraph(style);
    }
}

/// The comparison as a Word document whose insertions and deletions are tracked changes by
/// `author` at `date`.
pub fn diff_docx(diff: &DraftDiff, author: &str, date: DateTime<Utc>) -> Result<Vec<u8>> {
    let mut b = Body {
        xml: String::new(),
        runs: String::new(),
        next_id: 0,
        author: author.to_owned(),
        date: date.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    };
    b.paragraph(Some("Title"), &diff.title);
    b.paragraph(None, &format!("What changed. {}", side_text(diff)));
    let mut current: Option<Document> = None;
    for s in &diff.sections {
        if current != Some(s.document) {
            current = Some(s.document);
            b.paragraph(Some("Heading1"), document_name(s.document));
        }
        match (s.status, &s.old_heading) {
            (ChangeStatus::Added, _) => b.text(SegmentKind::Insert, &s.heading, false),
            (ChangeStatus::Removed, _) => b.text(SegmentKind::Delete, &s.heading, false),
            (_, Some(old)) => {
                b.text(SegmentKind::Delete, old, false);
                b.text(SegmentKind::Equal, " ", false);
                b.text(SegmentKind::Insert, &s.heading, false);
            }
            _ => b.text(SegmentKind::Equal, &s.heading, false),
        }
        b.end_paragraph(Some("Heading2"));
        if s.moved {
            b.paragraph(Some("Note"), "This section moved.");
        }
        for seg in &s.segments {
            b.text(seg.kind, &seg.text, false);
        }
        b.end_paragraph(None);
    }
    for (name, records) in groups(diff) {
        b.paragraph(Some("Heading1"), name);
        if records.is_empty() {
            b.paragraph(None, "No changes.");
            continue;
        }
        for r in records {
            let label = match &r.old_label {
                Some(old) => format!("{} (was {})", r.label, old),
                None => r.label.clone(),
            };
            match r.status {
                ChangeStatus::Added => {
                    b.text(SegmentKind::Equal, &format!("{label} "), true);
                    b.text(SegmentKind::Insert, &r.text, false);
                    b.end_paragraph(None);
                }
                ChangeStatus::Removed => {
                    b.text(SegmentKind::Equal, &format!("{label} "), true);
                    b.text(SegmentKind::Delete, &r.text, false);
                    b.end_paragraph(None);
                }
                _ => {
                    b.text(SegmentKind::Equal, &format!("{label} "), true);
                    b.text(SegmentKind::Equal, &r.text, false);
                    b.end_paragraph(None);
                    for f in &r.fields {
                        b.text(SegmentKind::Equal, &format!("{}: ", f.field), true);
                        b.text(SegmentKind::Delete, &f.old, false);
                        b.text(SegmentKind::Equal, " ", false);
                        b.text(SegmentKind::Insert, &f.new, false);
                        b.end_paragraph(Some("Field"));
                    }
                }
            }
        }
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}"><w:body>{}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>"#,
        b.xml
    );
    let style = |id: &str, name: &str, ppr: &str, rpr: &str| {
        format!(
            r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#
        )
    };
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:sz w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>{}{}{}{}{}</w:styles>"#,
        style(
            "Title",
            "Title",
            r#"<w:spacing w:after="240"/>"#,
            r#"<w:sz w:val="44"/>"#
        ),
        style(
            "Heading1",
            "heading 1",
            r#"<w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/>"#,
            r#"<w:b/><w:sz w:val="32"/>"#
        ),
        style(
            "Heading2",
            "heading 2",
            r#"<w:keepNext/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/>"#,
            r#"<w:b/><w:sz w:val="26"/>"#
        ),
        style(
            "Note",
            "Change Note",
            "",
            r#"<w:i/><w:color w:val="595959"/>"#
        ),
        style("Field", "Changed Field", r#"<w:ind w:left="360"/>"#, ""),
    );
    let parts: [(&str, String); 4] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", PACKAGE_RELS.to_owned()),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_owned()),
    ];
    let zip_error = |e: zip::result::ZipError| Error::BadDocument {
        name: "the Word document".into(),
        reason: format!("it could not be written ({e})"),
    };
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, text) in parts.iter().chain([("word/styles.xml", styles)].iter()) {
        zip.start_file(*name, options).map_err(zip_error)?;
        zip.write_all(text.as_bytes())
            .map_err(|e| Error::io("cannot write the Word document", e))?;
    }
    Ok(zip.finish().map_err(zip_error)?.into_inner())
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

impl Review {
    /// What changed, as a Word document with tracked changes. The changes are attributed to
    /// whoever issued the newer draft, at its issue time; against the review as it is now, to
    /// the person working, now.
    pub fn diff_docx(&self, from: &super::DraftRef, to: &super::DraftRef) -> Result<Vec<u8>> {
        let diff = self.diff(from, to)?;
        let (author, date) = match to {
            super::DraftRef::Current => (self.actor().name.clone(), self.now()),
            super::DraftRef::Draft(key) => {
                let info = self.draft_info(key)?;
                let at = DateTime::parse_from_rfc3339(&info.issued_at)
                    .map(|t| t.with_timezone(&Utc))
                    .unwrap_or_else(|_| self.now());
                (info.issued_by, at)
            }
        };
        diff_docx(&diff, &author, date)
    }
}
