//! The Word (.docx) reader: a bounded zip reader and an XML walker over the document parts.
//!
//! [`read_docx`] is a pure function over the file's bytes. It refuses, each with its own
//! reason, a package that is not a zip, is cut short, holds too many parts or parts that
//! inflate too far (checked against the zip directory before reading and again while
//! inflating, so a part whose header lies about its size is caught), text past
//! [`MAX_TEXT_CHARS`], XML that is not well formed, and any DOCTYPE (so no entity can be
//! declared, let alone expanded or fetched).
//!
//! What it keeps is the accepted reading of the body: paragraphs in order with their heading
//! levels (from the paragraph style, resolved through styles.xml, or an outline level), list
//! items with the number Word would show, the document's own typed labels ("3.2.1"), tables
//! one row to a paragraph, footnotes and endnotes after the body with their marks left in the
//! text as "[3]" and "[E1]", the result text of fields, and text boxes. Tracked insertions and
//! moves stay, deletions go, and the document says it had tracked changes. Margin comments are
//! listed with the paragraph they are on. Headers, footers and images are not read.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use serde::{Deserialize, Serialize};
use zip::ZipArchive;

use crate::error::{Error, Result};
use crate::model::sources::{split_label, ParagraphInput, ParagraphKind};

/// The most parts (zip entries) a document may hold.
pub const MAX_PARTS: usize = 1000;
/// The largest size any one part may inflate to: 64 MB.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// How many times its compressed size a part may inflate to, once past [`RATIO_FREE_BYTES`].
pub const MAX_INFLATE_RATIO: u64 = 100;
/// Parts up to this size (1 MB) may inflate by any ratio.
pub const RATIO_FREE_BYTES: u64 = 1024 * 1024;
/// The most characters of text a document may hold: 10 million.
pub const MAX_TEXT_CHARS: usize = 10_000_000;

/// Comments whose commented-on text is collected at the same time; later ones keep only
/// their paragraph, so overlapping comment ranges cannot make reading slow.
const MAX_ACTIVE_QUOTES: usize = 64;
/// The most characters of commented-on text kept per comment.
const MAX_QUOTE_CHARS: usize = 500;
/// The longest list label kept.
const MAX_LABEL_CHARS: usize = 100;
/// How deeply fields may nest; deeper ones are read as plain text.
const MAX_OPEN_FIELDS: usize = 64;
/// How far a chain of styles (`basedOn`) is followed.
const MAX_STYLE_DEPTH: usize = 16;

/// One paragraph read from a document, with the kind of block it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentParagraph {
    pub kind: ParagraphKind,
    /// The document's label: a list number ("4", "a", "3.2.1"), "•" for a bullet, a typed
    /// label taken off the start of the text, or "Footnote 3" / "Endnote 1".
    pub label: Option<String>,
    /// 0 for body text, 1 to 6 for headings.
    pub heading_level: i64,
    pub text: String,
}

impl DocumentParagraph {
    /// The paragraph as the fields a stored paragraph is made from.
    pub fn input(&self) -> ParagraphInput {
        ParagraphInput {
            label: self.label.clone(),
            heading_level: self.heading_level,
            text: self.text.clone(),
        }
    }
}

/// How many blocks of each kind a document held.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DocumentCounts {
    /// Every paragraph kept, of any kind.
    pub paragraphs: u64,
    pub headings: u64,
    pub list_items: u64,
    /// Tables, nested ones included.
    pub tables: u64,
    /// Rows of top-level tables, each kept as one paragraph.
    pub table_rows: u64,
    pub footnotes: u64,
    pub endnotes: u64,
}

/// A comment someone left in the document's margin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DocumentComment {
    pub author: String,
    /// The date as the document gives it (usually ISO 8601), when it gives one.
    pub date: Option<String>,
    pub text: String,
    /// The 1-based position of the paragraph it is on, among the document's paragraphs.
    pub paragraph_seq: Option<i64>,
    /// The stored paragraph it is on, once imported.
    pub paragraph_id: Option<String>,
    /// The text the comment marks, when it marks a range (cut at 500 characters).
    pub quoted: String,
}

/// What [`read_docx`] found in a document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocxDocument {
    pub paragraphs: Vec<DocumentParagraph>,
    pub counts: DocumentCounts,
    /// Whether the document held tracked changes (insertions, deletions, moves or formatting
    /// changes); the paragraphs are its accepted reading.
    pub tracked_changes: bool,
    pub comments: Vec<DocumentComment>,
}

/// Reads a Word document from its bytes; `name` is the file's name, for messages. Never
/// panics: anything that is not a sound, bounded Word document is a `BadDocument` error.
pub fn read_docx(bytes: &[u8], name: &str) -> Result<DocxDocument> {
    let mut package = Package::open(bytes, name)?;
    let parts = package.locate()?;

    let styles = match &parts.styles {
        Some(p) => {
            let text = package.read_text(p)?;
            let mut h = StylesReader::default();
            walk(name, p, &text, &mut h)?;
            h.styles
        }
        None => Styles::default(),
    };
    let numbering = match &parts.numbering {
        Some(p) => {
            let text = package.read_text(p)?;
            let mut h = NumberingReader::default();
            walk(name, p, &text, &mut h)?;
            h.numbering
        }
        None => Numbering::default(),
    };

    let body_text = package.read_text(&parts.document)?;
    let mut body = Walker::new(name, Mode::Body, &styles, &numbering, 0);
    walk(name, &parts.document, &body_text, &mut body)?;
    drop(body_text);
    body.flush_carry()?;
    let mut chars = body.chars;

    let mut notes = |part: &Option<String>, chars: &mut usize| -> Result<Vec<Item>> {
        let Some(p) = part else {
            return Ok(Vec::new());
        };
        let text = package.read_text(p)?;
        let mut w = Walker::new(name, Mode::Items, &styles, &numbering, *chars);
        walk(name, p, &text, &mut w)?;
        *chars = w.chars;
        Ok(w.items)
    };
    let footnotes = notes(&parts.footnotes, &mut chars)?;
    let endnotes = notes(&parts.endnotes, &mut chars)?;
    let comments = notes(&parts.comments, &mut chars)?;

    let Walker {
        out: mut paragraphs,
        mut counts,
        tracked,
        footnote_refs,
        endnote_refs,
        comment_at,
        ..
    } = body;
    let body_len = paragraphs.len();
    counts.footnotes = append_notes(&mut paragraphs, footnotes, footnote_refs, "Footnote");
    counts.endnotes = append_notes(&mut paragraphs, endnotes, endnote_refs, "Endnote");
    counts.paragraphs = paragraphs.len() as u64;

    let comments = comments
        .into_iter()
        .map(|item| {
            let at = comment_at.get(&item.id);
            DocumentComment {
                author: item.author,
                date: item.date,
                text: item.parts.join(" ").trim().to_owned(),
                paragraph_seq: at
                    .filter(|_| body_len > 0)
                    .map(|a| a.index.min(body_len - 1) as i64 + 1),
                paragraph_id: None,
                quoted: at.map(|a| a.quoted.trim().to_owned()).unwrap_or_default(),
            }
        })
        .collect();

    Ok(DocxDocument {
        paragraphs,
        counts,
        tracked_changes: tracked,
        comments,
    })
}

/// Adds the notes after the body in the order the body refers to them, then any the body
/// never refers to; returns how many were added.
fn append_notes(
    out: &mut Vec<DocumentParagraph>,
    items: Vec<Item>,
    refs: NoteRefs,
    word: &str,
) -> u64 {
    let mut by_id: HashMap<String, Item> = HashMap::new();
    let mut unreferenced = Vec::new();
    for item in items {
        if refs.numbers.contains_key(&item.id) && !by_id.contains_key(&item.id) {
            by_id.insert(item.id.clone(), item);
        } else {
            unreferenced.push(item);
        }
    }
    let mut ordered: Vec<(usize, Item)> = Vec::new();
    for id in &refs.order {
        if let (Some(item), Some(n)) = (by_id.remove(id), refs.numbers.get(id)) {
            ordered.push((*n, item));
        }
    }
    let first_free = refs.order.len() + 1;
    for (i, item) in unreferenced.into_iter().enumerate() {
        ordered.push((first_free + i, item));
    }
    let mut added = 0;
    for (n, item) in ordered {
        let text = item.parts.join(" ").trim().to_owned();
        if text.is_empty() {
            continue;
        }
        out.push(DocumentParagraph {
            kind: if word == "Footnote" {
                ParagraphKind::Footnote
            } else {
                ParagraphKind::Endnote
            },
            label: Some(format!("{word} {n}")),
            heading_level: 0,
            text,
        });
        added += 1;
    }
    added
}

fn bad(name: &str, reason: impl Into<String>) -> Error {
    Error::BadDocument {
        name: name.to_owned(),
        reason: reason.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// The zip package
// ---------------------------------------------------------------------------------------------

/// Where the parts the reader needs are, inside the package.
struct Parts {
    document: String,
    styles: Option<String>,
    numbering: Option<String>,
    footnotes: Option<String>,
    endnotes: Option<String>,
    comments: Option<String>,
}

/// An opened, size-checked zip package.
struct Package<'a> {
    name: &'a str,
    archive: ZipArchive<Cursor<&'a [u8]>>,
    /// Lowercase part name → entry index.
    index: HashMap<String, usize>,
}

impl<'a> Package<'a> {
    /// Opens the zip and checks every entry's declared sizes against the limits.
    fn open(bytes: &'a [u8], name: &'a str) -> Result<Package<'a>> {
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return Err(bad(
                name,
                "it is a password-protected Word file or an old .doc file under a .docx name; \
                 open it in Word or LibreOffice, remove any password and save it as .docx",
            ));
        }
        if !bytes.starts_with(b"PK") {
            return Err(bad(
                name,
                "it is not a Word document (a .docx file is a zip package, and this is not one)",
            ));
        }
        if let Some(entries) = declared_entry_count(bytes) {
            if entries > MAX_PARTS as u64 {
                return Err(too_many_parts(name));
            }
        }
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            bad(
                name,
                format!("it is damaged or incomplete, perhaps cut short in copying ({e})"),
            )
        })?;
        if archive.len() > MAX_PARTS {
            return Err(too_many_parts(name));
        }
        let mut index = HashMap::new();
        for i in 0..archive.len() {
            let entry = archive
                .by_index_data(i)
                .map_err(|e| bad(name, format!("it is damaged ({e})")))?;
            let part = String::from_utf8_lossy(entry.name_raw()).into_owned();
            check_declared(name, &part, entry.size(), entry.compressed_size())?;
            index.entry(part.to_lowercase()).or_insert(i);
        }
        Ok(Package {
            name,
            archive,
            index,
        })
    }

    fn find(&self, part: &str) -> Option<usize> {
        self.index.get(&part.to_lowercase()).copied()
    }

    /// Reads a part's bytes, inflating no further than its limits allow.
    fn read(&mut self, part: &str) -> Result<Vec<u8>> {
        let name = self.name;
        let i = self
            .find(part)
            .ok_or_else(|| bad(name, format!("part {part} is missing")))?;
        let mut file = self
            .archive
            .by_index(i)
            .map_err(|e| bad(name, format!("part {part} cannot be read ({e})")))?;
        let declared = file.size();
        let compressed = file.compressed_size();
        check_declared(name, part, declared, compressed)?;
        let cap = allowed_size(compressed);
        let mut out = Vec::with_capacity(declared.min(cap) as usize);
        (&mut file)
            .take(cap + 1)
            .read_to_end(&mut out)
            .map_err(|e| {
                let detail = e.to_string();
                if detail.contains("declared uncompressed size") {
                    bad(name, format!("part {part} holds more data than its zip header declares"))
                } else if detail.contains("checksum") {
                    bad(name, format!("part {part} is damaged (its checksum does not match)"))
                } else {
                    bad(
                        name,
                        format!("part {part} cannot be inflated; the file is damaged or incomplete ({detail})"),
                    )
                }
            })?;
        let got = out.len() as u64;
        if got > cap {
            return Err(oversized(name, part, got, compressed));
        }
        if got > declared {
            return Err(bad(
                name,
                format!("part {part} holds more data than its zip header declares"),
            ));
        }
        Ok(out)
    }

    /// Reads a part as XML text (UTF-8, or UTF-16 with a byte-order mark).
    fn read_text(&mut self, part: &str) -> Result<String> {
        let bytes = self.read(part)?;
        decode_xml(self.name, part, &bytes)
    }

    /// Finds the main document and the parts it relates to, through the package's
    /// relationships, falling back on the names Word uses.
    fn locate(&mut self) -> Result<Parts> {
        let root_rels = match self.find("_rels/.rels") {
            Some(_) => self.relationships("_rels/.rels", "")?,
            None => Vec::new(),
        };
        let document = root_rels
            .iter()
            .find(|(kind, _)| kind.ends_with("/officeDocument"))
            .map(|(_, target)| target.clone())
            .filter(|t| self.find(t).is_some())
            .or_else(|| Some("word/document.xml".to_owned()).filter(|t| self.find(t).is_some()))
            .ok_or_else(|| {
                bad(
                    self.name,
                    "it has no main document part (word/document.xml), so it is not a Word document",
                )
            })?;
        let (folder, file) = match document.rfind('/') {
            Some(i) => (&document[..i + 1], &document[i + 1..]),
            None => ("", document.as_str()),
        };
        let rels_part = format!("{folder}_rels/{file}.rels");
        let rels = match self.find(&rels_part) {
            Some(_) => self.relationships(&rels_part, folder)?,
            None => Vec::new(),
        };
        let related = |suffix: &str, fallback: &str| -> Option<String> {
            rels.iter()
                .find(|(kind, _)| kind.ends_with(suffix))
                .map(|(_, target)| target.clone())
                .filter(|t| self.find(t).is_some())
                .or_else(|| {
                    let f = format!("{folder}{fallback}");
                    self.find(&f).map(|_| f)
                })
        };
        Ok(Parts {
            styles: related("/styles", "styles.xml"),
            numbering: related("/numbering", "numbering.xml"),
            footnotes: related("/footnotes", "footnotes.xml"),
            endnotes: related("/endnotes", "endnotes.xml"),
            comments: related("/comments", "comments.xml"),
            document,
        })
    }

    /// The (type, resolved target) pairs of a relationships part; targets are resolved
    /// against `folder`, and external ones are left out.
    fn relationships(&mut self, part: &str, folder: &str) -> Result<Vec<(String, String)>> {
        let text = self.read_text(part)?;
        let mut h = RelsReader::default();
        walk(self.name, part, &text, &mut h)?;
        Ok(h.rels
            .into_iter()
            .map(|(kind, target)| (kind, resolve_target(folder, &target)))
            .collect())
    }
}

/// The number of entries the end-of-central-directory record declares, when one is found.
fn declared_entry_count(bytes: &[u8]) -> Option<u64> {
    const SIG: [u8; 4] = [0x50, 0x4B, 0x05, 0x06];
    let search_from = bytes.len().saturating_sub(22 + 65_535);
    let tail = bytes.get(search_from..)?;
    let at = tail.windows(4).rposition(|w| w == SIG)?;
    let record = tail.get(at..at + 22)?;
    let total = u16::from_le_bytes([record[10], record[11]]);
    // 0xFFFF means the real count is in a zip64 record; the zip reader checks that one.
    (total != 0xFFFF).then_some(u64::from(total))
}

fn too_many_parts(name: &str) -> Error {
    bad(
        name,
        format!(
            "it holds more than {} parts",
            group_thousands(MAX_PARTS as u64)
        ),
    )
}

/// The most a part of `compressed` bytes may inflate to.
fn allowed_size(compressed: u64) -> u64 {
    MAX_PART_BYTES.min(RATIO_FREE_BYTES.max(compressed.saturating_mul(MAX_INFLATE_RATIO)))
}

/// Refuses a part whose declared size is past the limits.
fn check_declared(name: &str, part: &str, size: u64, compressed: u64) -> Result<()> {
    if size > allowed_size(compressed) {
        return Err(oversized(name, part, size, compressed));
    }
    Ok(())
}

/// The error for a part that inflates (or says it inflates) to `size` bytes.
fn oversized(name: &str, part: &str, size: u64, compressed: u64) -> Error {
    if size > MAX_PART_BYTES {
        bad(
            name,
            format!(
                "part {part} would inflate past {} MB",
                MAX_PART_BYTES / (1024 * 1024)
            ),
        )
    } else {
        bad(
            name,
            format!(
                "part {part} would inflate to more than {MAX_INFLATE_RATIO} times its compressed \
                 size ({compressed} bytes), which only a zip bomb does"
            ),
        )
    }
}

/// "1,000" for 1000.
fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A relationship target resolved against the folder of the part that names it.
fn resolve_target(folder: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("{folder}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for piece in joined.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// A part's bytes as text: UTF-8 (with or without a byte-order mark) or UTF-16 with one.
fn decode_xml(name: &str, part: &str, bytes: &[u8]) -> Result<String> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        if encoding != encoding_rs::UTF_8 {
            let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
            if had_errors {
                return Err(bad(
                    name,
                    format!("part {part} is not valid XML (its UTF-16 text is damaged)"),
                ));
            }
            return Ok(text.into_owned());
        }
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => Err(bad(
            name,
            format!(
                "part {part} is not valid XML (it is not UTF-8 text: bad byte at offset {})",
                e.valid_up_to()
            ),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// The XML walk
// ---------------------------------------------------------------------------------------------

/// The WordprocessingML elements the reader acts on; everything else is `OtherW` (a `w:`
/// element walked through), `Fallback` (markup-compatibility fallback content, skipped since
/// the choice before it holds the same thing) or `Foreign` (another namespace, walked through).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    P,
    PPr,
    PStyle,
    NumPr,
    Ilvl,
    NumId,
    OutlineLvl,
    RPr,
    R,
    T,
    Tab,
    Br,
    Cr,
    NoBreakHyphen,
    Sym,
    Tbl,
    Tr,
    TrPr,
    Tc,
    Ins,
    Del,
    MoveFrom,
    MoveTo,
    /// A tracked formatting change (`pPrChange`, `rPrChange`...): the old formatting.
    FormatChange,
    /// Content never read: deleted text, field instructions, section and table properties.
    Skip,
    FldChar,
    FootnoteReference,
    EndnoteReference,
    CommentRangeStart,
    CommentRangeEnd,
    CommentReference,
    Footnote,
    Endnote,
    Comment,
    Style,
    Name,
    BasedOn,
    AbstractNum,
    Num,
    AbstractNumId,
    Lvl,
    Start,
    NumFmt,
    LvlText,
    IsLgl,
    LvlOverride,
    StartOverride,
    NumStyleLink,
    OtherW,
    Fallback,
    Foreign,
}

fn classify_w(local: &str) -> Tag {
    match local {
        "p" => Tag::P,
        "pPr" => Tag::PPr,
        "pStyle" => Tag::PStyle,
        "numPr" => Tag::NumPr,
        "ilvl" => Tag::Ilvl,
        "numId" => Tag::NumId,
        "outlineLvl" => Tag::OutlineLvl,
        "rPr" => Tag::RPr,
        "r" => Tag::R,
        "t" => Tag::T,
        "tab" => Tag::Tab,
        "br" => Tag::Br,
        "cr" => Tag::Cr,
        "noBreakHyphen" => Tag::NoBreakHyphen,
        "sym" => Tag::Sym,
        "tbl" => Tag::Tbl,
        "tr" => Tag::Tr,
        "trPr" => Tag::TrPr,
        "tc" => Tag::Tc,
        "ins" => Tag::Ins,
        "del" => Tag::Del,
        "moveFrom" => Tag::MoveFrom,
        "moveTo" => Tag::MoveTo,
        "pPrChange" | "rPrChange" | "sectPrChange" | "tblPrChange" | "trPrChange"
        | "tcPrChange" | "tblGridChange" | "numberingChange" | "tblPrExChange" => Tag::FormatChange,
        "delText"
        | "delInstrText"
        | "instrText"
        | "sectPr"
        | "tblPr"
        | "tblPrEx"
        | "tcPr"
        | "tblGrid"
        | "sdtPr"
        | "sdtEndPr"
        | "footnotePr"
        | "endnotePr"
        | "separator"
        | "continuationSeparator"
        | "softHyphen"
        | "footnoteRef"
        | "endnoteRef"
        | "annotationRef"
        | "fldData" => Tag::Skip,
        "fldChar" => Tag::FldChar,
        "footnoteReference" => Tag::FootnoteReference,
        "endnoteReference" => Tag::EndnoteReference,
        "commentRangeStart" => Tag::CommentRangeStart,
        "commentRangeEnd" => Tag::CommentRangeEnd,
        "commentReference" => Tag::CommentReference,
        "footnote" => Tag::Footnote,
        "endnote" => Tag::Endnote,
        "comment" => Tag::Comment,
        "style" => Tag::Style,
        "name" => Tag::Name,
        "basedOn" => Tag::BasedOn,
        "abstractNum" => Tag::AbstractNum,
        "num" => Tag::Num,
        "abstractNumId" => Tag::AbstractNumId,
        "lvl" => Tag::Lvl,
        "start" => Tag::Start,
        "numFmt" => Tag::NumFmt,
        "lvlText" => Tag::LvlText,
        "isLgl" => Tag::IsLgl,
        "lvlOverride" => Tag::LvlOverride,
        "startOverride" => Tag::StartOverride,
        "numStyleLink" => Tag::NumStyleLink,
        _ => Tag::OtherW,
    }
}

/// Why a handler stopped the walk: malformed XML (the driver adds where) or any other error.
enum Stop {
    Xml(String),
    Err(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Err(e)
    }
}

type Step<T> = std::result::Result<T, Stop>;

/// What the walk reports to the reader of a part. `stack` holds the tags of the enclosing
/// elements (in `start` and `end`, not the element itself; in `text`, the element the text
/// is in is last).
trait Handler {
    /// An element opens; return false to skip everything inside it (its `end` is not reported).
    fn start(&mut self, tag: Tag, e: &BytesStart<'_>, stack: &[Tag]) -> Step<bool>;
    /// An element closes.
    fn end(&mut self, _tag: Tag, _stack: &[Tag]) -> Step<()> {
        Ok(())
    }
    /// Character data.
    fn text(&mut self, _text: &str, _stack: &[Tag]) -> Step<()> {
        Ok(())
    }
}

/// The WordprocessingML namespaces (transitional and strict).
const WML_NAMESPACES: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];

/// The prefix the root element binds to WordprocessingML ("" for a default namespace),
/// or "w" when it binds none.
fn wml_prefix(root: &BytesStart<'_>) -> Step<String> {
    for a in root.attributes().with_checks(false) {
        let a = a.map_err(|e| Stop::Xml(format!("bad attribute: {e}")))?;
        let key = a.key.0;
        if WML_NAMESPACES.contains(&a.value.as_ref()) {
            if key == "xmlns" {
                return Ok(String::new());
            }
            if let Some(p) = key.strip_prefix("xmlns:") {
                return Ok(p.to_owned());
            }
        }
    }
    Ok("w".to_owned())
}

/// The value of the attribute whose local name is `local`, unescaped.
fn attr(e: &BytesStart<'_>, local: &str) -> Step<Option<String>> {
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|err| Stop::Xml(format!("bad attribute: {err}")))?;
        let key = a.key.0;
        let key_local = key.rsplit(':').next().unwrap_or(key);
        if key_local == local {
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|err| Stop::Xml(format!("bad attribute value: {err}")))?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

/// An attribute read as a small whole number.
fn attr_num(e: &BytesStart<'_>, local: &str) -> Step<Option<i64>> {
    Ok(attr(e, local)?.and_then(|v| v.trim().parse::<i64>().ok()))
}

/// Whether an on/off property is on: present with no value, or "1"/"true"/"on".
fn attr_on(e: &BytesStart<'_>) -> Step<bool> {
    Ok(match attr(e, "val")? {
        None => true,
        Some(v) => matches!(v.as_str(), "1" | "true" | "on"),
    })
}

/// The line `offset` falls on in `text` (1-based).
fn line_at(text: &str, offset: u64) -> usize {
    let end = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The five entities XML predefines, and character references.
fn resolve_entity(name: &str) -> std::result::Result<Cow<'static, str>, String> {
    Ok(match name {
        "lt" => "<".into(),
        "gt" => ">".into(),
        "amp" => "&".into(),
        "apos" => "'".into(),
        "quot" => "\"".into(),
        _ => {
            let number = name
                .strip_prefix('#')
                .ok_or_else(|| format!("unknown entity &{name};"))?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16),
                None => number.parse::<u32>(),
            }
            .map_err(|_| format!("bad character reference &{name};"))?;
            match char::from_u32(code).filter(|c| *c != '\0') {
                Some(c) => c.to_string().into(),
                None => return Err(format!("bad character reference &{name};")),
            }
        }
    })
}

/// Walks the XML of one part, reporting to `h`. Refuses a DOCTYPE and anything not well
/// formed, naming the line.
fn walk(doc: &str, part: &str, text: &str, h: &mut impl Handler) -> Result<()> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Tag> = Vec::new();
    let mut depth: usize = 0;
    let mut skipping: usize = 0;
    let mut prefix: Option<String> = None;
    let malformed = |line: usize, detail: &str| {
        bad(
            doc,
            format!("part {part} is not valid XML (line {line}: {detail})"),
        )
    };
    let stop = |s: Stop, pos: u64| match s {
        Stop::Xml(detail) => malformed(line_at(text, pos), &detail),
        Stop::Err(e) => e,
    };
    loop {
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                return Err(malformed(
                    line_at(text, reader.error_position()),
                    &e.to_string(),
                ))
            }
        };
        let pos = reader.buffer_position();
        match event {
            Event::DocType(_) => {
                return Err(bad(
                    doc,
                    format!("part {part} declares a DOCTYPE, which Word documents never do"),
                ))
            }
            Event::Start(_) if skipping > 0 => {
                skipping += 1;
                depth += 1;
            }
            Event::Empty(_) if skipping > 0 => {}
            Event::Start(e) => {
                depth += 1;
                let tag = tag_of(&e, &mut prefix).map_err(|s| stop(s, pos))?;
                if h.start(tag, &e, &stack).map_err(|s| stop(s, pos))? {
                    stack.push(tag);
                } else {
                    skipping = 1;
                }
            }
            Event::Empty(e) => {
                let tag = tag_of(&e, &mut prefix).map_err(|s| stop(s, pos))?;
                if h.start(tag, &e, &stack).map_err(|s| stop(s, pos))? {
                    h.end(tag, &stack).map_err(|s| stop(s, pos))?;
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if skipping > 0 {
                    skipping -= 1;
                } else if let Some(tag) = stack.pop() {
                    h.end(tag, &stack).map_err(|s| stop(s, pos))?;
                }
            }
            Event::Text(t) if skipping == 0 && !stack.is_empty() => {
                h.text(&t.xml10_content(), &stack)
                    .map_err(|s| stop(s, pos))?;
            }
            Event::CData(t) if skipping == 0 && !stack.is_empty() => {
                h.text(&t.xml10_content(), &stack)
                    .map_err(|s| stop(s, pos))?;
            }
            Event::GeneralRef(r) => {
                let resolved = resolve_entity(&r.into_inner())
                    .map_err(|detail| malformed(line_at(text, pos), &detail))?;
                if skipping == 0 && !stack.is_empty() {
                    h.text(&resolved, &stack).map_err(|s| stop(s, pos))?;
                }
            }
            Event::Eof => {
                if depth > 0 {
                    return Err(malformed(
                        line_at(text, pos),
                        "the part ends before all its elements are closed",
                    ));
                }
                if prefix.is_none() {
                    return Err(malformed(line_at(text, pos), "the part has no elements"));
                }
                return Ok(());
            }
            _ => {}
        }
    }
}

/// The tag of an element; the first element seen (the root) sets the WordprocessingML prefix.
fn tag_of(e: &BytesStart<'_>, prefix: &mut Option<String>) -> Step<Tag> {
    if prefix.is_none() {
        *prefix = Some(wml_prefix(e)?);
    }
    let qname = e.name().0;
    let (p, local) = match qname.split_once(':') {
        Some((p, l)) => (p, l),
        None => ("", qname),
    };
    if prefix.as_deref() == Some(p) {
        Ok(classify_w(local))
    } else if local == "Fallback" {
        Ok(Tag::Fallback)
    } else {
        Ok(Tag::Foreign)
    }
}

// ---------------------------------------------------------------------------------------------
// Relationships, styles and numbering
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct RelsReader {
    rels: Vec<(String, String)>,
}

impl Handler for RelsReader {
    fn start(&mut self, _tag: Tag, e: &BytesStart<'_>, _stack: &[Tag]) -> Step<bool> {
        if e.local_name().as_ref() == "Relationship" {
            let external = attr(e, "TargetMode")?.is_some_and(|m| m == "External");
            if let (Some(kind), Some(target), false) =
                (attr(e, "Type")?, attr(e, "Target")?, external)
            {
                self.rels.push((kind, target));
            }
        }
        Ok(true)
    }
}

/// One paragraph style.
#[derive(Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<i64>,
    num_id: Option<String>,
    ilvl: Option<i64>,
}

#[derive(Default)]
struct Styles {
    by_id: HashMap<String, Style>,
    default_paragraph: Option<String>,
}

impl Styles {
    /// The styles from `id` up its `basedOn` chain (cycles and long chains cut short).
    fn chain<'s>(&'s self, id: Option<&'s str>) -> Vec<(&'s str, &'s Style)> {
        let mut out = Vec::new();
        let mut next = id.or(self.default_paragraph.as_deref());
        let mut seen = HashSet::new();
        while let Some(id) = next {
            if out.len() >= MAX_STYLE_DEPTH || !seen.insert(id) {
                break;
            }
            let Some(style) = self.by_id.get(id) else {
                break;
            };
            out.push((id, style));
            next = style.based_on.as_deref();
        }
        out
    }

    /// The heading level a paragraph in style `id` has (0 for body text).
    fn heading_level(&self, id: Option<&str>) -> i64 {
        for (id, style) in self.chain(id) {
            if let Some(level) = heading_from_name(&style.name).or_else(|| heading_from_name(id)) {
                return level;
            }
            if let Some(outline) = style.outline {
                return outline_to_level(outline);
            }
        }
        0
    }

    /// The numbering a paragraph in style `id` gets from its style.
    fn numbering(&self, id: Option<&str>) -> Option<(String, Option<i64>)> {
        self.chain(id)
            .into_iter()
            .find_map(|(_, s)| s.num_id.clone().map(|n| (n, s.ilvl)))
    }
}

/// A heading level from a style's name or id: "heading 2", "Heading2" → 2; "Title" → 1.
fn heading_from_name(name: &str) -> Option<i64> {
    let lower = name.trim().to_lowercase();
    if lower == "title" {
        return Some(1);
    }
    let rest = lower.strip_prefix("heading")?.trim_start();
    let level: i64 = rest.parse().ok()?;
    (1..=9).contains(&level).then(|| level.min(6))
}

/// An outline level (0-based; 9 is body text) as a heading level.
fn outline_to_level(outline: i64) -> i64 {
    if (0..9).contains(&outline) {
        (outline + 1).min(6)
    } else {
        0
    }
}

#[derive(Default)]
struct StylesReader {
    styles: Styles,
    current: Option<(String, Style)>,
}

impl Handler for StylesReader {
    fn start(&mut self, tag: Tag, e: &BytesStart<'_>, stack: &[Tag]) -> Step<bool> {
        match tag {
            Tag::Style => {
                let kind = attr(e, "type")?;
                if kind
                    .as_deref()
                    .is_some_and(|k| k != "paragraph" && k != "numbering")
                {
                    return Ok(false);
                }
                let id = attr(e, "styleId")?.unwrap_or_default();
                if attr(e, "default")?.is_some_and(|d| d == "1" || d == "true")
                    && kind.as_deref() == Some("paragraph")
                {
                    self.styles.default_paragraph = Some(id.clone());
                }
                self.current = Some((id, Style::default()));
            }
            Tag::FormatChange => return Ok(false),
            _ => {
                let Some((_, style)) = self.current.as_mut() else {
                    return Ok(true);
                };
                match tag {
                    Tag::Name if stack.last() == Some(&Tag::Style) => {
                        style.name = attr(e, "val")?.unwrap_or_default();
                    }
                    Tag::BasedOn => style.based_on = attr(e, "val")?,
                    Tag::OutlineLvl => style.outline = attr_num(e, "val")?,
                    Tag::NumId if stack.last() == Some(&Tag::NumPr) => {
                        style.num_id = attr(e, "val")?;
                    }
                    Tag::Ilvl if stack.last() == Some(&Tag::NumPr) => {
                        style.ilvl = attr_num(e, "val")?;
                    }
                    _ => {}
                }
            }
        }
        Ok(true)
    }

    fn end(&mut self, tag: Tag, _stack: &[Tag]) -> Step<()> {
        if tag == Tag::Style {
            if let Some((id, style)) = self.current.take() {
                self.styles.by_id.entry(id).or_insert(style);
            }
        }
        Ok(())
    }
}

/// One level of a list definition.
#[derive(Clone, Default)]
struct Level {
    start: i64,
    format: String,
    text: String,
    style: Option<String>,
    legal: bool,
}

#[derive(Default)]
struct AbstractNum {
    levels: BTreeMap<i64, Level>,
    /// A numbering style whose list this definition uses instead of its own.
    style_link: Option<String>,
}

#[derive(Default)]
struct Num {
    abstract_id: String,
    /// Level → (restart value, replacement level definition).
    overrides: BTreeMap<i64, (Option<i64>, Option<Level>)>,
}

#[derive(Default)]
struct Numbering {
    abstracts: HashMap<String, AbstractNum>,
    nums: HashMap<String, Num>,
}

#[derive(Default)]
struct NumberingReader {
    numbering: Numbering,
    abstract_num: Option<(String, AbstractNum)>,
    num: Option<(String, Num)>,
    level: Option<(i64, Level)>,
    override_level: Option<i64>,
}

impl Handler for NumberingReader {
    fn start(&mut self, tag: Tag, e: &BytesStart<'_>, stack: &[Tag]) -> Step<bool> {
        match tag {
            Tag::AbstractNum => {
                let id = attr(e, "abstractNumId")?.unwrap_or_default();
                self.abstract_num = Some((id, AbstractNum::default()));
            }
            Tag::Num => {
                let id = attr(e, "numId")?.unwrap_or_default();
                self.num = Some((id, Num::default()));
            }
            Tag::AbstractNumId => {
                if let Some((_, num)) = self.num.as_mut() {
                    num.abstract_id = attr(e, "val")?.unwrap_or_default();
                }
            }
            Tag::LvlOverride => {
                self.override_level = attr_num(e, "ilvl")?.map(|l| l.clamp(0, 8));
            }
            Tag::StartOverride => {
                if let (Some((_, num)), Some(l)) = (self.num.as_mut(), self.override_level) {
                    num.overrides.entry(l).or_default().0 = attr_num(e, "val")?;
                }
            }
            Tag::Lvl => {
                let l = attr_num(e, "ilvl")?.unwrap_or(0).clamp(0, 8);
                self.level = Some((
                    l,
                    Level {
                        start: 1,
                        format: "decimal".into(),
                        ..Level::default()
                    },
                ));
            }
            Tag::NumStyleLink => {
                if let Some((_, a)) = self.abstract_num.as_mut() {
                    a.style_link = attr(e, "val")?;
                }
            }
            Tag::FormatChange => return Ok(false),
            _ => {
                if let Some((_, level)) = self.level.as_mut() {
                    match tag {
                        Tag::Start => level.start = attr_num(e, "val")?.unwrap_or(1),
                        Tag::NumFmt if stack.last() == Some(&Tag::Lvl) => {
                            level.format = attr(e, "val")?.unwrap_or_default();
                        }
                        Tag::LvlText => {
                            let text = attr(e, "val")?.unwrap_or_default();
                            level.text = text.chars().take(MAX_LABEL_CHARS).collect();
                        }
                        Tag::IsLgl => level.legal = attr_on(e)?,
                        Tag::PStyle => level.style = attr(e, "val")?,
                        _ => {}
                    }
                }
            }
        }
        Ok(true)
    }

    fn end(&mut self, tag: Tag, _stack: &[Tag]) -> Step<()> {
        match tag {
            Tag::Lvl => {
                if let Some((l, level)) = self.level.take() {
                    if let (Some((_, num)), Some(ol)) = (self.num.as_mut(), self.override_level) {
                        num.overrides.entry(ol).or_default().1 = Some(level);
                    } else if let Some((_, a)) = self.abstract_num.as_mut() {
                        a.levels.entry(l).or_insert(level);
                    }
                }
            }
            Tag::LvlOverride => self.override_level = None,
            Tag::AbstractNum => {
                if let Some((id, a)) = self.abstract_num.take() {
                    self.numbering.abstracts.entry(id).or_insert(a);
                }
            }
            Tag::Num => {
                if let Some((id, n)) = self.num.take() {
                    self.numbering.nums.entry(id).or_insert(n);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// List counters as Word keeps them: per list definition, the last number used at each level.
#[derive(Default)]
struct Counters {
    by_abstract: HashMap<String, [Option<i64>; 9]>,
    /// Numbering instances already used (a restart applies at an instance's first use).
    started: HashSet<String>,
}

impl Counters {
    /// Advances the list `num_id` at `ilvl` and returns the label Word shows for that item
    /// (`Some("")` for a list level that shows no number), or `None` when there is no such list.
    fn next(
        &mut self,
        numbering: &Numbering,
        styles: &Styles,
        num_id: &str,
        ilvl: Option<i64>,
        para_style: Option<&str>,
    ) -> Option<String> {
        let num = numbering.nums.get(num_id)?;
        let mut abstract_id = num.abstract_id.as_str();
        let mut definition = numbering.abstracts.get(abstract_id)?;
        // A definition may hand over to a numbering style's list (one hop is all Word uses).
        if let Some(link) = &definition.style_link {
            if let Some((linked_num, _)) = styles.numbering(Some(link)) {
                if let Some(linked) = numbering.nums.get(&linked_num) {
                    if let Some(a) = numbering.abstracts.get(&linked.abstract_id) {
                        abstract_id = linked.abstract_id.as_str();
                        definition = a;
                    }
                }
            }
        }
        let level_of = |l: i64| -> Option<&Level> {
            num.overrides
                .get(&l)
                .and_then(|(_, lvl)| lvl.as_ref())
                .or_else(|| definition.levels.get(&l))
        };
        let ilvl = ilvl
            .or_else(|| {
                para_style.and_then(|s| {
                    definition
                        .levels
                        .iter()
                        .find(|(_, lvl)| lvl.style.as_deref() == Some(s))
                        .map(|(l, _)| *l)
                })
            })
            .unwrap_or(0)
            .clamp(0, 8);
        let level = level_of(ilvl)?;
        let counters = self
            .by_abstract
            .entry(abstract_id.to_owned())
            .or_insert([None; 9]);
        if self.started.insert(num_id.to_owned()) {
            for (l, (restart, _)) in &num.overrides {
                if let (Some(value), Ok(i)) = (restart, usize::try_from(*l)) {
                    if let Some(slot) = counters.get_mut(i) {
                        *slot = Some(value.saturating_sub(1));
                    }
                }
            }
        }
        let i = ilvl as usize;
        let value = match counters[i] {
            Some(last) => last.saturating_add(1),
            None => level.start,
        };
        counters[i] = Some(value);
        for deeper in counters.iter_mut().skip(i + 1) {
            *deeper = None;
        }
        if level.format == "bullet" {
            return Some("•".to_owned());
        }
        if level.format == "none" {
            return Some(String::new());
        }
        let mut label = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(ch) = chars.next() {
            if ch == '%' {
                if let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                    chars.next();
                    if (1..=9).contains(&d) {
                        let l = i64::from(d) - 1;
                        let (start, def_format) =
                            level_of(l).map_or((1, "decimal"), |d| (d.start, d.format.as_str()));
                        let n = counters[l as usize].unwrap_or(start);
                        let format = if level.legal { "decimal" } else { def_format };
                        label.push_str(&format_number(n, format));
                    }
                    continue;
                }
            }
            label.push(ch);
        }
        Some(label)
    }
}

/// A list number in one of Word's number formats.
fn format_number(n: i64, format: &str) -> String {
    match format {
        "decimalZero" if (0..10).contains(&n) => format!("0{n}"),
        "lowerLetter" | "upperLetter" if (1..=780).contains(&n) => {
            let letter = (b'a' + ((n - 1) % 26) as u8) as char;
            let times = ((n - 1) / 26 + 1) as usize;
            let s: String = std::iter::repeat_n(letter, times).collect();
            if format == "upperLetter" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "lowerRoman" | "upperRoman" if (1..4000).contains(&n) => {
            let s = roman(n);
            if format == "lowerRoman" {
                s.to_lowercase()
            } else {
                s
            }
        }
        "ordinal" if n >= 0 => {
            let suffix = match (n % 10, n % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{n}{suffix}")
        }
        _ => n.to_string(),
    }
}

/// `n` (1..4000) in upper-case Roman numerals.
fn roman(mut n: i64) -> String {
    const TABLE: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, text) in TABLE {
        while n >= value {
            out.push_str(text);
            n -= value;
        }
    }
    out
}

/// A list label as a locator: "4." → "4", "(a)" → "a", "3.2.1." → "3.2.1"; bullets stay "•".
fn tidy_label(label: &str) -> Option<String> {
    let mut l = label.trim();
    l = l.strip_suffix(['.', ')', ':']).unwrap_or(l);
    l = l.strip_prefix('(').unwrap_or(l);
    let l = l.trim();
    if l.is_empty() {
        return None;
    }
    Some(l.chars().take(MAX_LABEL_CHARS).collect())
}

// ---------------------------------------------------------------------------------------------
// The document walker
// ---------------------------------------------------------------------------------------------

/// Where top-level paragraphs go: the document body, or the items (notes or comments) of a
/// notes or comments part.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Body,
    Items,
}

/// A paragraph being read.
#[derive(Default)]
struct Para {
    text: String,
    style: Option<String>,
    num_id: Option<String>,
    ilvl: Option<i64>,
    outline: Option<i64>,
    /// The paragraph mark was deleted (tracked), so the text runs on into the next paragraph.
    mark_deleted: bool,
}

/// An open block of the document.
enum Frame {
    Para(Para),
    Table { rows: Vec<String>, nested: bool },
    Row { cells: Vec<String>, deleted: bool },
    Cell { parts: Vec<String> },
}

/// A footnote, endnote or comment being read or read.
#[derive(Default)]
struct Item {
    id: String,
    author: String,
    date: Option<String>,
    parts: Vec<String>,
}

/// Note ids in the order the body first refers to them, with the number each is shown as.
#[derive(Default)]
struct NoteRefs {
    order: Vec<String>,
    numbers: HashMap<String, usize>,
}

impl NoteRefs {
    fn number(&mut self, id: &str) -> usize {
        if let Some(n) = self.numbers.get(id) {
            return *n;
        }
        self.order.push(id.to_owned());
        let n = self.order.len();
        self.numbers.insert(id.to_owned(), n);
        n
    }
}

/// Where a comment is: the index the paragraph it is on gets, and the text it marks.
struct CommentAt {
    index: usize,
    quoted: String,
}

struct Walker<'s> {
    name: &'s str,
    mode: Mode,
    styles: &'s Styles,
    numbering: &'s Numbering,
    counters: Counters,
    /// Characters of text read so far, across parts.
    chars: usize,
    out: Vec<DocumentParagraph>,
    counts: DocumentCounts,
    tracked: bool,
    frames: Vec<Frame>,
    /// Open complex fields: true while in the instruction, false once in the result.
    fields: Vec<bool>,
    /// How many of `fields` are in their instruction (text there is not kept).
    in_instruction: usize,
    /// Fields opened past [`MAX_OPEN_FIELDS`], not tracked; their ends are matched first.
    fields_overflow: usize,
    /// The text of a paragraph whose mark was deleted, to run on into the next one.
    carry: Option<String>,
    footnote_refs: NoteRefs,
    endnote_refs: NoteRefs,
    comment_at: HashMap<String, CommentAt>,
    /// Comments whose range is open and whose text is being collected.
    quoting: Vec<String>,
    item: Option<Item>,
    items: Vec<Item>,
}

impl<'s> Walker<'s> {
    fn new(
        name: &'s str,
        mode: Mode,
        styles: &'s Styles,
        numbering: &'s Numbering,
        chars: usize,
    ) -> Self {
        Walker {
            name,
            mode,
            styles,
            numbering,
            counters: Counters::default(),
            chars,
            out: Vec::new(),
            counts: DocumentCounts::default(),
            tracked: false,
            frames: Vec::new(),
            fields: Vec::new(),
            in_instruction: 0,
            fields_overflow: 0,
            carry: None,
            footnote_refs: NoteRefs::default(),
            endnote_refs: NoteRefs::default(),
            comment_at: HashMap::new(),
            quoting: Vec::new(),
            item: None,
            items: Vec::new(),
        }
    }

    fn para(&mut self) -> Option<&mut Para> {
        match self.frames.last_mut() {
            Some(Frame::Para(p)) => Some(p),
            _ => None,
        }
    }

    /// Adds text to the paragraph being read, counting it against the limit.
    fn push_text(&mut self, text: &str) -> Step<()> {
        if self.in_instruction > 0 {
            return Ok(());
        }
        let Some(Frame::Para(p)) = self.frames.last_mut() else {
            return Ok(());
        };
        p.text.push_str(text);
        self.chars += text.chars().count();
        if self.chars > MAX_TEXT_CHARS {
            return Err(Stop::Err(bad(
                self.name,
                "it holds more than 10 million characters of text",
            )));
        }
        for id in &self.quoting {
            if let Some(at) = self.comment_at.get_mut(id) {
                let room = MAX_QUOTE_CHARS.saturating_sub(at.quoted.chars().count());
                at.quoted.extend(text.chars().take(room));
            }
        }
        Ok(())
    }

    /// Notes where comment `id` is, the first time it is seen.
    fn mark_comment(&mut self, id: String, quote: bool) {
        if self.mode != Mode::Body {
            return;
        }
        let index = self.out.len();
        if !self.comment_at.contains_key(&id) {
            self.comment_at.insert(
                id.clone(),
                CommentAt {
                    index,
                    quoted: String::new(),
                },
            );
            if quote && self.quoting.len() < MAX_ACTIVE_QUOTES {
                self.quoting.push(id);
            }
        }
    }

    /// Whether the innermost table cell, if any, is open below the top frame.
    fn in_cell(&self) -> bool {
        self.frames
            .iter()
            .rev()
            .find(|f| !matches!(f, Frame::Para(_)))
            .is_some_and(|f| matches!(f, Frame::Cell { .. }))
    }

    /// Finishes a paragraph: numbering, heading level and label, then into its cell, its note
    /// or the body.
    fn finish_para(&mut self, p: Para) -> Step<()> {
        let heading_level = match p.outline {
            Some(o) => outline_to_level(o),
            None => self.styles.heading_level(p.style.as_deref()),
        };
        let numbering = match p.num_id.as_deref() {
            Some("0") => None,
            Some(n) => Some((n.to_owned(), p.ilvl)),
            None => self
                .styles
                .numbering(p.style.as_deref())
                .map(|(n, l)| (n, p.ilvl.or(l))),
        };
        let number = numbering.and_then(|(num, ilvl)| {
            self.counters
                .next(self.numbering, self.styles, &num, ilvl, p.style.as_deref())
        });
        let in_cell = self.in_cell();
        let mut text = p.text;
        if !in_cell && self.mode == Mode::Body {
            if let Some(carry) = self.carry.take() {
                text.insert_str(0, &carry);
            }
            if p.mark_deleted {
                self.carry = Some(text);
                return Ok(());
            }
        }
        let text = text.trim();
        if in_cell {
            let piece = match number.as_deref().map(str::trim) {
                Some(n) if !n.is_empty() && !text.is_empty() => format!("{n} {text}"),
                _ => text.to_owned(),
            };
            if !piece.is_empty() {
                for f in self.frames.iter_mut().rev() {
                    if let Frame::Cell { parts } = f {
                        parts.push(piece);
                        break;
                    }
                }
            }
            return Ok(());
        }
        if text.is_empty() {
            return Ok(());
        }
        match self.mode {
            Mode::Items => {
                if let Some(item) = self.item.as_mut() {
                    let piece = match number.as_deref().map(str::trim) {
                        Some(n) if !n.is_empty() => format!("{n} {text}"),
                        _ => text.to_owned(),
                    };
                    item.parts.push(piece);
                }
            }
            Mode::Body => {
                let kind = if heading_level > 0 {
                    ParagraphKind::Heading
                } else if number.is_some() {
                    ParagraphKind::ListItem
                } else {
                    ParagraphKind::Body
                };
                let (label, text) = match number {
                    Some(n) => (tidy_label(&n), text.to_owned()),
                    None => {
                        let (label, rest) = split_label(text);
                        (label, rest.to_owned())
                    }
                };
                match kind {
                    ParagraphKind::Heading => self.counts.headings += 1,
                    ParagraphKind::ListItem => self.counts.list_items += 1,
                    _ => {}
                }
                self.out.push(DocumentParagraph {
                    kind,
                    label,
                    heading_level,
                    text,
                });
            }
        }
        Ok(())
    }

    /// Keeps the text of a last paragraph whose mark was deleted (nothing followed it).
    fn flush_carry(&mut self) -> Result<()> {
        if let Some(carry) = self.carry.take() {
            let text = carry.trim();
            if !text.is_empty() {
                let (label, rest) = split_label(text);
                self.out.push(DocumentParagraph {
                    kind: ParagraphKind::Body,
                    label,
                    heading_level: 0,
                    text: rest.to_owned(),
                });
            }
        }
        Ok(())
    }

    fn finish_row(&mut self, cells: Vec<String>, deleted: bool) {
        if deleted {
            return;
        }
        let text = cells
            .iter()
            .map(|c| c.trim())
            .collect::<Vec<_>>()
            .join(" | ")
            .trim()
            .to_owned();
        if cells.iter().all(|c| c.trim().is_empty()) {
            return;
        }
        match self.frames.last_mut() {
            Some(Frame::Table { rows, nested: true }) => rows.push(text),
            _ => match self.mode {
                Mode::Body => {
                    self.counts.table_rows += 1;
                    self.out.push(DocumentParagraph {
                        kind: ParagraphKind::TableRow,
                        label: None,
                        heading_level: 0,
                        text,
                    });
                }
                Mode::Items => {
                    if let Some(item) = self.item.as_mut() {
                        item.parts.push(text);
                    }
                }
            },
        }
    }
}

impl Handler for Walker<'_> {
    fn start(&mut self, tag: Tag, e: &BytesStart<'_>, stack: &[Tag]) -> Step<bool> {
        let parent = stack.last().copied();
        match tag {
            Tag::P => self.frames.push(Frame::Para(Para::default())),
            Tag::PStyle if parent == Some(Tag::PPr) => {
                let style = attr(e, "val")?;
                if let Some(p) = self.para() {
                    p.style = style;
                }
            }
            Tag::NumId if parent == Some(Tag::NumPr) => {
                let id = attr(e, "val")?;
                if let Some(p) = self.para() {
                    p.num_id = id;
                }
            }
            Tag::Ilvl if parent == Some(Tag::NumPr) => {
                let l = attr_num(e, "val")?;
                if let Some(p) = self.para() {
                    p.ilvl = l;
                }
            }
            Tag::OutlineLvl if parent == Some(Tag::PPr) => {
                let l = attr_num(e, "val")?;
                if let Some(p) = self.para() {
                    p.outline = l;
                }
            }
            // Run formatting says nothing the reader keeps; the paragraph mark's formatting
            // says whether the mark was inserted or deleted.
            Tag::RPr => return Ok(parent == Some(Tag::PPr)),
            Tag::Del | Tag::MoveFrom => {
                self.tracked = true;
                let in_mark = parent == Some(Tag::RPr)
                    && stack.len() >= 2
                    && stack[stack.len() - 2] == Tag::PPr;
                if in_mark {
                    if let Some(p) = self.para() {
                        p.mark_deleted = true;
                    }
                } else if parent == Some(Tag::TrPr) {
                    for f in self.frames.iter_mut().rev() {
                        if let Frame::Row { deleted, .. } = f {
                            *deleted = true;
                            break;
                        }
                    }
                }
                return Ok(false);
            }
            Tag::Ins | Tag::MoveTo => self.tracked = true,
            Tag::FormatChange => {
                self.tracked = true;
                return Ok(false);
            }
            Tag::Skip | Tag::Fallback => return Ok(false),
            Tag::Tab if parent == Some(Tag::R) => self.push_text("\t")?,
            Tag::Br if parent == Some(Tag::R) => {
                let kind = attr(e, "type")?;
                let ch = match kind.as_deref() {
                    Some("page") | Some("column") => " ",
                    _ => "\n",
                };
                self.push_text(ch)?;
            }
            Tag::Cr if parent == Some(Tag::R) => self.push_text("\n")?,
            Tag::NoBreakHyphen => self.push_text("-")?,
            Tag::Sym => {
                let code = attr(e, "char")?.and_then(|c| u32::from_str_radix(c.trim(), 16).ok());
                // Symbol-font characters sit in the private use area; only a bullet is kept.
                let ch = match code {
                    Some(0xF0B7) => Some('•'),
                    Some(c) if !(0xE000..=0xF8FF).contains(&c) => char::from_u32(c),
                    _ => None,
                };
                if let Some(ch) = ch.filter(|c| !c.is_control()) {
                    self.push_text(&ch.to_string())?;
                }
            }
            Tag::FldChar => match attr(e, "fldCharType")?.as_deref() {
                Some("begin") if self.fields.len() >= MAX_OPEN_FIELDS => {
                    self.fields_overflow += 1;
                }
                Some("begin") => {
                    self.fields.push(true);
                    self.in_instruction += 1;
                }
                Some("separate") if self.fields_overflow > 0 => {}
                Some("end") if self.fields_overflow > 0 => self.fields_overflow -= 1,
                Some("separate") => {
                    if let Some(last) = self.fields.last_mut() {
                        if *last {
                            *last = false;
                            self.in_instruction -= 1;
                        }
                    }
                }
                // The guard closes the field whatever state it was in.
                Some("end") if self.fields.pop() == Some(true) => self.in_instruction -= 1,
                _ => {}
            },
            Tag::FootnoteReference | Tag::EndnoteReference if self.mode == Mode::Body => {
                let id = attr(e, "id")?.unwrap_or_default();
                let mark = if tag == Tag::FootnoteReference {
                    format!("[{}]", self.footnote_refs.number(&id))
                } else {
                    format!("[E{}]", self.endnote_refs.number(&id))
                };
                self.push_text(&mark)?;
            }
            Tag::CommentRangeStart => {
                if let Some(id) = attr(e, "id")? {
                    self.mark_comment(id, true);
                }
            }
            Tag::CommentReference => {
                if let Some(id) = attr(e, "id")? {
                    self.mark_comment(id, false);
                }
            }
            Tag::CommentRangeEnd => {
                if let Some(id) = attr(e, "id")? {
                    self.quoting.retain(|q| *q != id);
                }
            }
            Tag::Tbl => {
                self.counts.tables += 1;
                let nested = self.in_cell();
                self.frames.push(Frame::Table {
                    rows: Vec::new(),
                    nested,
                });
            }
            Tag::Tr => self.frames.push(Frame::Row {
                cells: Vec::new(),
                deleted: false,
            }),
            Tag::Tc => self.frames.push(Frame::Cell { parts: Vec::new() }),
            Tag::Footnote | Tag::Endnote | Tag::Comment if self.mode == Mode::Items => {
                if let Some(kind) = attr(e, "type")? {
                    if kind != "normal" {
                        return Ok(false);
                    }
                }
                self.item = Some(Item {
                    id: attr(e, "id")?.unwrap_or_default(),
                    author: attr(e, "author")?.unwrap_or_default(),
                    date: attr(e, "date")?,
                    parts: Vec::new(),
                });
            }
            _ => {}
        }
        Ok(true)
    }

    fn end(&mut self, tag: Tag, _stack: &[Tag]) -> Step<()> {
        match tag {
            Tag::P => {
                // A field's instruction never runs past its paragraph; one that seems to (a
                // damaged field) is read as ending there, so no later text is lost.
                if self.in_instruction > 0 {
                    for f in &mut self.fields {
                        *f = false;
                    }
                    self.in_instruction = 0;
                }
                if let Some(Frame::Para(p)) = self.frames.pop_if(|f| matches!(f, Frame::Para(_))) {
                    self.finish_para(p)?;
                }
            }
            Tag::Tc => {
                if let Some(Frame::Cell { parts }) =
                    self.frames.pop_if(|f| matches!(f, Frame::Cell { .. }))
                {
                    let text = parts.join(" ");
                    if let Some(Frame::Row { cells, .. }) = self.frames.last_mut() {
                        cells.push(text);
                    }
                }
            }
            Tag::Tr => {
                if let Some(Frame::Row { cells, deleted }) =
                    self.frames.pop_if(|f| matches!(f, Frame::Row { .. }))
                {
                    self.finish_row(cells, deleted);
                }
            }
            Tag::Tbl => {
                if let Some(Frame::Table { rows, nested }) =
                    self.frames.pop_if(|f| matches!(f, Frame::Table { .. }))
                {
                    if nested && !rows.is_empty() {
                        for f in self.frames.iter_mut().rev() {
                            if let Frame::Cell { parts } = f {
                                parts.push(rows.join(" | "));
                                break;
                            }
                        }
                    }
                }
            }
            Tag::Footnote | Tag::Endnote | Tag::Comment if self.mode == Mode::Items => {
                if let Some(item) = self.item.take() {
                    self.items.push(item);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, text: &str, stack: &[Tag]) -> Step<()> {
        if stack.last() == Some(&Tag::T) {
            self.push_text(text)?;
        }
        Ok(())
    }
}
