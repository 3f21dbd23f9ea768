//! Word (.docx) output, written part by part as Office Open XML.
//!
//! The document uses Word's own built-in styles (Title, Subtitle, Heading 1–3, List Number,
//! List Bullet, Quote, footnote text, toc 1–3, Bibliography) plus a table style, so a board's
//! template can restyle it and Word's navigation pane and contents work. Headings carry
//! bookmarks; the contents is a real `TOC \o "1-3"` field whose cached entries list the
//! headings (Word refreshes it, page numbers included, when the file is opened). Citations are
//! real footnotes or bracketed numbers with a references list. Recommendations and other
//! numbered records are Word list items whose numbering starts at their own number, so "R12"
//! stays R12 however Word renumbers.

use std::collections::HashMap;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{escape, pieces, Piece, Printable};
use crate::error::{Error, Result};
use crate::report::{plain_text, Block, CitationStyle, Inline};

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A4 in twentieths of a point, and the margins.
const PAGE_SHORT: u32 = 11906;
const PAGE_LONG: u32 = 16838;
const MARGIN: u32 = 1440;

/// One `w:abstractNum`: how a kind of list is numbered.
enum Abstract {
    Bullets,
    Ordered,
    /// Records numbered with a prefix ("R%1") or with a full stop ("%1.").
    Prefixed(String),
}

/// The document being written.
struct Writer<'a> {
    p: &'a Printable,
    body: String,
    footnotes: Vec<String>,
    abstracts: Vec<Abstract>,
    prefixed: HashMap<String, usize>,
    /// Each `w:num`: (abstract index, start number).
    nums: Vec<(usize, u64)>,
    bookmark: u32,
    /// Headings for the contents: (level, text, bookmark name).
    toc: Vec<(u8, String, String)>,
    text_width: u32,
}

/// The run properties of a text piece.
fn rpr(bold: bool, italic: bool, style: Option<&str>) -> String {
    let mut s = String::new();
    if let Some(st) = style {
        s.push_str(&format!(r#"<w:rStyle w:val="{st}"/>"#));
    }
    if bold {
        s.push_str("<w:b/><w:bCs/>");
    }
    if italic {
        s.push_str("<w:i/><w:iCs/>");
    }
    if s.is_empty() {
        s
    } else {
        format!("<w:rPr>{s}</w:rPr>")
    }
}

/// One run of text; tabs and line breaks become Word's own elements.
fn run(text: &str, bold: bool, italic: bool, style: Option<&str>) -> String {
    let mut s = format!("<w:r>{}", rpr(bold, italic, style));
    let mut first = true;
    for line in text.split('\n') {
        if !first {
            s.push_str("<w:br/>");
        }
        first = false;
        let mut first_tab = true;
        for part in line.split('\t') {
            if !first_tab {
                s.push_str("<w:tab/>");
            }
            first_tab = false;
            if !part.is_empty() {
                s.push_str(&format!(
                    r#"<w:t xml:space="preserve">{}</w:t>"#,
                    escape(part.trim_end_matches('\r'))
                ));
            }
        }
    }
    s.push_str("</w:r>");
    s
}

fn paragraph(ppr: &str, runs: &str) -> String {
    if ppr.is_empty() {
        format!("<w:p>{runs}</w:p>")
    } else {
        format!("<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>")
    }
}

fn pstyle(style: &str) -> String {
    format!(r#"<w:pStyle w:val="{style}"/>"#)
}

const PAGE_BREAK: &str = r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#;

impl<'a> Writer<'a> {
    fn new(p: &'a Printable) -> Self {
        let page_width = if p.landscape { PAGE_LONG } else { PAGE_SHORT };
        Writer {
            p,
            body: String::new(),
            footnotes: Vec::new(),
            abstracts: vec![Abstract::Bullets, Abstract::Ordered],
            prefixed: HashMap::new(),
            // numId 1 is every bulleted list.
            nums: vec![(0, 1)],
            bookmark: 0,
            toc: Vec::new(),
            text_width: page_width - 2 * MARGIN,
        }
    }

    /// A new `w:num` of `abstract_index` starting at `start`; returns its id.
    fn num(&mut self, abstract_index: usize, start: u64) -> usize {
        self.nums.push((abstract_index, start));
        self.nums.len()
    }

    fn prefixed_abstract(&mut self, prefix: &str) -> usize {
        if let Some(i) = self.prefixed.get(prefix) {
            return *i;
        }
        self.abstracts.push(Abstract::Prefixed(prefix.to_owned()));
        let i = self.abstracts.len() - 1;
        self.prefixed.insert(prefix.to_owned(), i);
        i
    }

    /// A footnote holding `paragraphs` (already-built runs); returns the reference run.
    fn footnote(&mut self, paragraphs: Vec<String>) -> String {
        let id = self.footnotes.len() + 1;
        let mut xml = format!(r#"<w:footnote w:id="{id}">"#);
        for (i, runs) in paragraphs.iter().enumerate() {
            let lead = if i == 0 {
                r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>"#
            } else {
                ""
            };
            xml.push_str(&paragraph(
                &pstyle("FootnoteText"),
                &format!("{lead}{runs}"),
            ));
        }
        if paragraphs.is_empty() {
            xml.push_str(&paragraph(
                &pstyle("FootnoteText"),
                r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>"#,
            ));
        }
        xml.push_str("</w:footnote>");
        self.footnotes.push(xml);
        format!(
            r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{id}"/></w:r>"#
        )
    }

    /// Runs for a line of inlines. `in_note` is set inside a footnote, where Word allows no
    /// footnote of its own: a citation there is written out in brackets.
    fn runs(&mut self, inlines: &[Inline], in_note: bool) -> String {
        let mut out = String::new();
        let style = if in_note {
            CitationStyle::Brackets
        } else {
            self.p.style
        };
        for piece in pieces(inlines, style) {
            match piece {
                Piece::Text { text, bold, italic } => out.push_str(&run(&text, bold, italic, None)),
                Piece::Break => out.push_str("<w:r><w:br/></w:r>"),
                Piece::MarkSeparator => {
                    out.push_str(&run(",", false, false, Some("FootnoteReference")))
                }
                Piece::Citation(n) => {
                    let item = self.p.citations.get(n as usize - 1).cloned();
                    if in_note {
                        let label = item.map(|c| c.label).unwrap_or_else(|| n.to_string());
                        out.push_str(&run(&format!("({label})"), false, false, None));
                    } else if style == CitationStyle::Footnotes {
                        let text = item.map(|c| c.note_text()).unwrap_or_default();
                        let runs = run(&text, false, false, None);
                        out.push_str(&self.footnote(vec![runs]));
                    } else {
                        out.push_str(&run(&format!("[{n}]"), false, false, None));
                    }
                }
                Piece::Note(n) => {
                    if in_note {
                        continue;
                    }
                    let blocks = self
                        .p
                        .notes
                        .get(n as usize - 1)
                        .map(|note| note.blocks.clone())
                        .unwrap_or_default();
                    let paragraphs = self.note_paragraphs(&blocks);
                    out.push_str(&self.footnote(paragraphs));
                }
            }
        }
        out
    }

    /// The paragraphs of one of the author's footnotes, flattened to plain paragraphs.
    fn note_paragraphs(&mut self, blocks: &[Block]) -> Vec<String> {
        let mut out = Vec::new();
        for block in blocks {
            match block {
                Block::Heading { content, .. } | Block::Paragraph { content } => {
                    out.push(self.runs(content, true))
                }
                Block::List { items, .. } => {
                    for item in items {
                        let inner = self.note_paragraphs(item);
                        out.extend(inner);
                    }
                }
                Block::Quote { blocks } => {
                    let inner = self.note_paragraphs(blocks);
                    out.extend(inner);
                }
                Block::Table { rows, .. } => {
                    for row in rows {
                        let text: Vec<String> = row.iter().map(|c| plain_text(c)).collect();
                        out.push(run(&text.join(" | "), false, false, None));
                    }
                }
                Block::Numbered { items, .. } => {
                    for item in items {
                        let mut inlines = vec![Inline::bold(format!("{} ", item.label))];
                        inlines.extend(item.content.iter().cloned());
                        out.push(self.runs(&inlines, true));
                    }
                }
                Block::Rule => {}
            }
        }
        out
    }

    /// A heading paragraph with a bookmark, listed for the contents.
    fn heading(&mut self, level: u8, runs: &str, text: &str) {
        self.bookmark += 1;
        let id = self.bookmark;
        let name = format!("_Toc{id:08}");
        self.body.push_str(&paragraph(
            &pstyle(&format!("Heading{level}")),
            &format!(
                r#"<w:bookmarkStart w:id="{id}" w:name="{name}"/>{runs}<w:bookmarkEnd w:id="{id}"/>"#
            ),
        ));
        self.toc.push((level, text.trim().to_owned(), name));
    }

    fn blocks(&mut self, blocks: &[Block], quote: bool, level: u32) {
        for block in blocks {
            self.block(block, quote, level);
        }
    }

    /// One block. `level` is the list depth (0 outside lists), used to indent text that
    /// continues a list item.
    fn block(&mut self, block: &Block, quote: bool, level: u32) {
        match block {
            Block::Heading { level: l, content } => {
                let runs = self.runs(content, false);
                self.heading((*l).clamp(2, 3), &runs, &plain_text(content));
            }
            Block::Paragraph { content } => {
                let runs = self.runs(content, false);
                let ppr = if quote {
                    pstyle("Quote")
                } else if level > 0 {
                    format!(r#"<w:ind w:left="{}"/>"#, 360 * (level + 1))
                } else {
                    String::new()
                };
                self.body.push_str(&paragraph(&ppr, &runs));
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                let num = if *ordered {
                    self.num(1, *start)
                } else {
                    1
                };
                let style = if *ordered { "ListNumber" } else { "ListBullet" };
                let ilvl = level.min(8);
                for item in items {
                    let (first, rest) = match item.split_first() {
                        Some((Block::Paragraph { content }, rest)) => (Some(content), rest),
                        _ => (None, item.as_slice()),
                    };
                    let runs = first.map(|c| self.runs(c, false)).unwrap_or_default();
                    let ppr = format!(
                        r#"{}<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>"#,
                        pstyle(style)
                    );
                    self.body.push_str(&paragraph(&ppr, &runs));
                    for b in rest {
                        self.block(b, quote, level + 1);
                    }
                }
            }
            Block::Quote { blocks } => self.blocks(blocks, true, level),
            Block::Table { header, rows } => self.table(header, rows),
            Block::Numbered { prefix, items } => {
                let abs = self.prefixed_abstract(prefix);
                for item in items {
                    let num = self.num(abs, item.number.max(0) as u64);
                    let runs = self.runs(&item.content, false);
                    let ppr = format!(
                        r#"{}<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>"#,
                        pstyle("ListNumber")
                    );
                    self.body.push_str(&paragraph(&ppr, &runs));
                    if !item.detail.is_empty() {
                        let runs = self.runs(&item.detail, false);
                        self.body.push_str(&paragraph(&pstyle("ListContinue"), &runs));
                    }
                }
            }
            Block::Rule => self.body.push_str(&paragraph(
                r#"<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="808080"/></w:pBdr>"#,
                "",
            )),
        }
    }

    /// A table in the table style, header row repeated on each page, columns sized by how
    /// much they hold.
    fn table(&mut self, header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) {
        let cols = header
            .len()
            .max(rows.iter().map(|r| r.len()).max().unwrap_or(0));
        if cols == 0 {
            return;
        }
        let widths = column_widths(header, rows, cols, self.text_width);
        let mut xml = format!(
            r#"<w:tbl><w:tblPr><w:tblStyle w:val="ThreadlineTable"/><w:tblW w:w="{}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>"#,
            widths.iter().sum::<u32>()
        );
        for w in &widths {
            xml.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
        }
        xml.push_str("</w:tblGrid>");
        let row_xml = |cells: &[Vec<Inline>], head: bool, this: &mut Self| {
            let mut s = String::from("<w:tr>");
            if head {
                s.push_str("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
            }
            for (c, width) in widths.iter().enumerate() {
                let content = cells.get(c).cloned().unwrap_or_default();
                let content: Vec<Inline> = if head {
                    content
                        .into_iter()
                        .map(|i| match i {
                            Inline::Text {
                                text,
                                italic,
                                substitutions,
                                ..
                            } => Inline::Text {
                                text,
                                bold: true,
                                italic,
                                substitutions,
                            },
                            other => other,
                        })
                        .collect()
                } else {
                    content
                };
                let runs = this.runs(&content, false);
                s.push_str(&format!(
                    r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{}</w:tc>"#,
                    paragraph(&pstyle("TableText"), &runs)
                ));
            }
            s.push_str("</w:tr>");
            s
        };
        let head = row_xml(header, true, self);
        xml.push_str(&head);
        for r in rows {
            let row = row_xml(r, false, self);
            xml.push_str(&row);
        }
        xml.push_str("</w:tbl>");
        self.body.push_str(&xml);
        // Word needs a paragraph between a table and whatever follows it.
        self.body.push_str(&paragraph(&pstyle("TableSpacer"), ""));
    }

    /// The contents: a TOC field over heading levels 1 to 3, with the headings as its
    /// cached result so the list shows before Word refreshes it.
    fn contents(&self) -> String {
        let tabs = format!(
            r#"<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{}"/></w:tabs>"#,
            self.text_width
        );
        let begin = r#"<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \o "1-3" \h \z \u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>"#;
        let end = r#"<w:r><w:fldChar w:fldCharType="end"/></w:r>"#;
        let mut s = String::from(
            r#"<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>"#,
        );
        s.push_str(&paragraph(
            &pstyle("TOCHeading"),
            &run("Contents", false, false, None),
        ));
        if self.toc.is_empty() {
            s.push_str(&paragraph("", &format!("{begin}{end}")));
        }
        let last = self.toc.len().saturating_sub(1);
        for (i, (level, text, anchor)) in self.toc.iter().enumerate() {
            let mut runs = String::new();
            if i == 0 {
                runs.push_str(begin);
            }
            runs.push_str(&format!(
                r#"<w:hyperlink w:anchor="{anchor}" w:history="1">{}</w:hyperlink>"#,
                run(text, false, false, Some("Hyperlink"))
            ));
            if i == last {
                runs.push_str(end);
            }
            s.push_str(&paragraph(
                &format!("{}{tabs}", pstyle(&format!("TOC{level}"))),
                &runs,
            ));
        }
        s.push_str("</w:sdtContent></w:sdt>");
        s
    }

    /// Sets the width text runs across for pages `page_width` wide.
    fn width(&mut self, page_width: u32) {
        self.text_width = page_width - 2 * MARGIN;
    }

    fn document(&mut self) -> String {
        let p = self.p;
        for section in &p.sections {
            let runs = run(&section.heading, false, false, None);
            self.heading(1, &runs, &section.heading);
            self.blocks(&section.blocks, false, 0);
        }
        if p.style == CitationStyle::Brackets && !p.citations.is_empty() {
            let runs = run("References", false, false, None);
            self.heading(1, &runs, "References");
            for c in &p.citations {
                let runs = format!(
                    "{}{}",
                    run(&format!("[{}]\t", c.number), false, false, None),
                    run(&c.note_text(), false, false, None)
                );
                self.body
                    .push_str(&paragraph(&pstyle("Bibliography"), &runs));
            }
        }
        if !p.appendices.is_empty() {
            // The report so far is one portrait section; the appendices' wide tables get
            // landscape pages of their own.
            if !p.landscape {
                self.width(PAGE_SHORT);
                let portrait = sect_pr(false, p.contents);
                self.body
                    .push_str(&format!("<w:p><w:pPr>{portrait}</w:pPr></w:p>"));
                self.width(PAGE_LONG);
            }
            for section in &p.appendices {
                let runs = run(&section.heading, false, false, None);
                self.heading(1, &runs, &section.heading);
                self.blocks(&section.blocks, false, 0);
            }
        }

        let mut front = String::new();
        front.push_str(&paragraph(
            &pstyle("Title"),
            &run(&p.title, false, false, None),
        ));
        front.push_str(&paragraph(
            &pstyle("Subtitle"),
            &run(&p.subtitle, false, false, None),
        ));
        if !p.board.is_empty() {
            front.push_str(&paragraph("", &run(&p.board, false, false, None)));
        }
        if let Some(marking) = &p.marking {
            front.push_str(&paragraph(
                "",
                &format!(
                    r#"<w:r><w:rPr><w:b/><w:bCs/><w:color w:val="C00000"/></w:rPr><w:t>{}</w:t></w:r>"#,
                    escape(marking)
                ),
            ));
        }
        if p.contents {
            front.push_str(PAGE_BREAK);
            front.push_str(&self.contents());
            front.push_str(PAGE_BREAK);
        }

        let title_page = p.contents;
        let last = sect_pr(
            p.landscape || !p.appendices.is_empty(),
            title_page && p.appendices.is_empty(),
        );
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{front}{}{last}</w:body></w:document>"#,
            self.body
        )
    }

    fn numbering(&self) -> String {
        let mut s = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W_NS}">"#
        );
        for (i, a) in self.abstracts.iter().enumerate() {
            s.push_str(&format!(
                r#"<w:abstractNum w:abstractNumId="{i}"><w:multiLevelType w:val="{}"/>"#,
                if matches!(a, Abstract::Prefixed(_)) {
                    "singleLevel"
                } else {
                    "multilevel"
                }
            ));
            let levels = if matches!(a, Abstract::Prefixed(_)) {
                1
            } else {
                9
            };
            for l in 0..levels {
                let left = 720 + 360 * l;
                let (fmt, text) = match a {
                    Abstract::Bullets => ("bullet", ["•", "◦", "▪"][l % 3].to_owned()),
                    Abstract::Ordered => match l % 3 {
                        0 => ("decimal", format!("%{}.", l + 1)),
                        1 => ("lowerLetter", format!("%{}.", l + 1)),
                        _ => ("lowerRoman", format!("%{}.", l + 1)),
                    },
                    Abstract::Prefixed(prefix) if prefix.is_empty() => {
                        ("decimal", "%1.".to_owned())
                    }
                    Abstract::Prefixed(prefix) => ("decimal", format!("{}%1", escape(prefix))),
                };
                let hanging = if matches!(a, Abstract::Prefixed(p) if !p.is_empty()) {
                    720
                } else {
                    360
                };
                let left = if matches!(a, Abstract::Prefixed(_)) {
                    720
                } else {
                    left
                };
                s.push_str(&format!(
                    r#"<w:lvl w:ilvl="{l}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr></w:lvl>"#
                ));
            }
            s.push_str("</w:abstractNum>");
        }
        for (i, (abs, start)) in self.nums.iter().enumerate() {
            s.push_str(&format!(
                r#"<w:num w:numId="{}"><w:abstractNumId w:val="{abs}"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride></w:num>"#,
                i + 1
            ));
        }
        s.push_str("</w:numbering>");
        s
    }

    fn footnotes_xml(&self) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>{}</w:footnotes>"#,
            self.footnotes.concat()
        )
    }
}

/// Column widths in twips that add up to `total`. Every column gets room for its longest word
/// (within reason), so a header like "Evidence" is never broken letter by letter; what is left
/// goes to the columns that hold the most text.
fn column_widths(
    header: &[Vec<Inline>],
    rows: &[Vec<Vec<Inline>>],
    cols: usize,
    total: u32,
) -> Vec<u32> {
    /// About one character of table text, in twips.
    const CHAR: f64 = 105.0;
    /// The cell's left and right margins together (from the table style).
    const MARGINS: f64 = 216.0;
    let longest_word = |text: &str| {
        text.split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
    };
    let mut minimum = Vec::with_capacity(cols);
    let mut extra = Vec::with_capacity(cols);
    for c in 0..cols {
        let head = header.get(c).map(|h| plain_text(h)).unwrap_or_default();
        let cells: Vec<String> = rows
            .iter()
            .filter_map(|r| r.get(c))
            .map(|cell| plain_text(cell))
            .collect();
        let word = cells
            .iter()
            .map(|t| longest_word(t).min(12))
            .max()
            .unwrap_or(0);
        // Header words are bold, so a little wider.
        let head_word = longest_word(&head) as f64 * CHAR * 1.15;
        let min = (word as f64 * CHAR).max(head_word) + CHAR + MARGINS;
        let longest = cells.iter().map(|t| t.chars().count()).max().unwrap_or(0);
        let average = if cells.is_empty() {
            0.0
        } else {
            cells.iter().map(|t| t.chars().count()).sum::<usize>() as f64 / cells.len() as f64
        };
        minimum.push(min);
        // Columns whose text does not fit on one line share the rest, the wordier more.
        extra.push(if longest as f64 * CHAR + MARGINS > min {
            average.max(1.0).sqrt()
        } else {
            0.0
        });
    }
    let total = total as f64;
    let min_sum: f64 = minimum.iter().sum();
    let extra_sum: f64 = extra.iter().sum();
    let widths: Vec<f64> = if min_sum >= total {
        minimum.iter().map(|m| m * total / min_sum).collect()
    } else {
        let spare = total - min_sum;
        minimum
            .iter()
            .zip(&extra)
            .map(|(m, e)| {
                if extra_sum > 0.0 {
                    m + spare * e / extra_sum
                } else {
                    m + spare / cols as f64
                }
            })
            .collect()
    };
    widths.into_iter().map(|w| w.round() as u32).collect()
}

/// Section properties: A4 portrait or landscape, page numbers in the footer, and no footer on
/// the title page when `title_page`.
fn sect_pr(landscape: bool, title_page: bool) -> String {
    let (w, h, orient) = if landscape {
        (PAGE_LONG, PAGE_SHORT, r#" w:orient="landscape""#)
    } else {
        (PAGE_SHORT, PAGE_LONG, "")
    };
    let title_page = if title_page { "<w:titlePg/>" } else { "" };
    format!(
        r#"<w:sectPr><w:footerReference w:type="default" r:id="rId5"/><w:type w:val="nextPage"/><w:pgSz w:w="{w}" w:h="{h}"{orient}/><w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" w:header="708" w:footer="708" w:gutter="0"/><w:cols w:space="708"/>{title_page}<w:docGrid w:linePitch="360"/></w:sectPr>"#
    )
}

fn styles() -> String {
    let heading = |level: u8, size: u32, before: u32, color: &str| {
        format!(
            r#"<w:style w:type="paragraph" w:styleId="Heading{level}"><w:name w:val="heading {level}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="120"/><w:outlineLvl w:val="{}"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val="{color}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr></w:style>"#,
            level - 1
        )
    };
    let toc = |level: u8| {
        format!(
            r#"<w:style w:type="paragraph" w:styleId="TOC{level}"><w:name w:val="toc {level}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="60"/><w:ind w:left="{}"/></w:pPr></w:style>"#,
            (level as u32 - 1) * 220
        )
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style><w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Subtitle"/><w:uiPriority w:val="10"/><w:qFormat/><w:pPr><w:spacing w:before="2400" w:after="240" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:color w:val="1F3864"/><w:kern w:val="28"/><w:sz w:val="52"/><w:szCs w:val="52"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="11"/><w:qFormat/><w:pPr><w:spacing w:after="480"/></w:pPr><w:rPr><w:color w:val="404040"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>{}{}{}<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="34"/><w:qFormat/><w:pPr><w:ind w:left="720"/><w:contextualSpacing/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="80"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="80"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="ListContinue"><w:name w:val="List Continue"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="160"/><w:ind w:left="720"/></w:pPr><w:rPr><w:color w:val="404040"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="29"/><w:qFormat/><w:pPr><w:spacing w:before="120" w:after="160"/><w:ind w:left="720" w:right="720"/></w:pPr><w:rPr><w:i/><w:iCs/><w:color w:val="404040"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style><w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style><w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/></w:style><w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/><w:basedOn w:val="Heading1"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>{}{}{}<w:style w:type="paragraph" w:styleId="Bibliography"><w:name w:val="Bibliography"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="37"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="80"/><w:ind w:left="720" w:hanging="720"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="TableSpacer"><w:name w:val="Table Spacer"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="120" w:line="120" w:lineRule="exact"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style><w:style w:type="table" w:styleId="ThreadlineTable"><w:name w:val="Threadline Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="8EA9DB"/><w:left w:val="single" w:sz="4" w:space="0" w:color="8EA9DB"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="8EA9DB"/><w:right w:val="single" w:sz="4" w:space="0" w:color="8EA9DB"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="8EA9DB"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="8EA9DB"/></w:tblBorders><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="D9E2F3"/></w:tcPr></w:tblStylePr></w:style></w:styles>"#,
        heading(1, 32, 360, "1F3864"),
        heading(2, 26, 240, "2F5496"),
        heading(3, 23, 200, "2F5496"),
        toc(1),
        toc(2),
        toc(3),
    )
}

fn settings() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="en-GB"/></w:settings>"#
    )
}

fn footer() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>"#
    )
}

fn core_properties(p: &Printable) -> String {
    let when = p.created.format("%Y-%m-%dT%H:%M:%SZ");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator><cp:lastModifiedBy>{}</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>{}</cp:coreProperties>"#,
        escape(&p.title),
        escape(&p.subtitle),
        escape(&p.author),
        escape(&p.author),
        if p.publication {
            format!(
                "<dc:description>{}</dc:description><cp:keywords></cp:keywords>",
                escape(super::PUBLICATION_NOTE)
            )
        } else {
            String::new()
        },
    )
}

fn app_properties(p: &Printable) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Threadline</Application><Company>{}</Company></Properties>"#,
        escape(&p.board)
    )
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;

/// The document as a .docx file.
pub fn write(p: &Printable) -> Result<Vec<u8>> {
    let mut w = Writer::new(p);
    let document = w.document();
    let parts: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", PACKAGE_RELS.to_owned()),
        ("docProps/core.xml", core_properties(p)),
        ("docProps/app.xml", app_properties(p)),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_owned()),
        ("word/styles.xml", styles()),
        ("word/settings.xml", settings()),
        ("word/numbering.xml", w.numbering()),
        ("word/footnotes.xml", w.footnotes_xml()),
        ("word/footer1.xml", footer()),
    ];
    let zip_error = |e: zip::result::ZipError| Error::BadDocument {
        name: "the Word document".into(),
        reason: format!("it could not be written ({e})"),
    };
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // A fixed time stamp: the same review gives the same bytes.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, text) in parts {
        zip.start_file(name, options).map_err(zip_error)?;
        zip.write_all(text.as_bytes())
            .map_err(|e| Error::io("cannot write the Word document", e))?;
    }
    Ok(zip.finish().map_err(zip_error)?.into_inner())
}
