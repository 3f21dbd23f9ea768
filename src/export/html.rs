//! A self-contained HTML page: inline CSS (with a print stylesheet, for PDF through the
//! browser's print dialog), no scripts, nothing fetched from anywhere, and a content security
//! policy that forbids both. Every piece of text is escaped: imported text is never markup.

use super::{escape, pieces, Piece, Printable};
use crate::report::{plain_text, Block, CitationStyle, Inline, RenderedSection};

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: Arial, "Liberation Sans", Helvetica, sans-serif; font-size: 11pt;
  line-height: 1.5; color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
main.wide { max-width: none; }
header.title-page { margin: 3rem 0 2.5rem; }
h1.title { font-size: 2rem; line-height: 1.2; color: #1f3864; margin: 0 0 0.5rem; font-weight: normal; }
p.subtitle { font-size: 1.3rem; color: #404040; margin: 0 0 1.5rem; }
p.marking { color: #c00000; font-weight: bold; }
h2 { font-size: 1.45rem; color: #1f3864; margin: 2.2rem 0 0.6rem; }
h3 { font-size: 1.2rem; color: #2f5496; margin: 1.6rem 0 0.5rem; }
h4 { font-size: 1.05rem; color: #2f5496; margin: 1.3rem 0 0.4rem; }
nav.contents ol { list-style: none; padding-left: 0; }
nav.contents ol ol { padding-left: 1.2rem; }
nav.contents a { color: inherit; text-decoration: none; }
nav.contents a:hover { text-decoration: underline; }
blockquote { margin: 1rem 2rem; font-style: italic; color: #404040; }
ol.records { list-style: none; padding-left: 0; }
ol.records > li { margin: 0 0 0.7rem; padding-left: 3.2rem; text-indent: -3.2rem; }
ol.records .num { display: inline-block; min-width: 3.2rem; text-indent: 0; font-weight: bold; }
ol.records .detail { display: block; text-indent: 0; color: #404040; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: 0.8rem 0 1.2rem; font-size: 0.92rem; }
th, td { border: 1px solid #8ea9db; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: #d9e2f3; }
sup.mark a, a.cite { color: #2f5496; text-decoration: none; }
section.references ol, section.notes ol { padding-left: 2.2rem; font-size: 0.92rem; }
hr { border: 0; border-top: 1px solid #808080; margin: 1.5rem 0; }
@page { size: A4; margin: 2cm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  header.title-page { break-after: page; margin-top: 6cm; }
  nav.contents { break-after: page; }
  h2, h3, h4 { break-after: avoid; }
  tr, blockquote, ol.records > li { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// Writes the HTML of a document.
struct Html<'a> {
    p: &'a Printable,
    out: String,
    /// Footnote-style marks written so far, in order: what each one holds.
    marks: Vec<Mark>,
    heading_ids: u32,
    contents: Vec<(u8, String, String)>,
}

/// What a footnote-style mark refers to.
enum Mark {
    Citation(u32),
    Note(u32),
}

impl Html<'_> {
    fn inlines(&mut self, inlines: &[Inline]) -> String {
        let mut s = String::new();
        for piece in pieces(inlines, self.p.style) {
            match piece {
                Piece::Text { text, bold, italic } => {
                    let mut t = escape(&text);
                    if italic {
                        t = format!("<em>{t}</em>");
                    }
                    if bold {
                        t = format!("<strong>{t}</strong>");
                    }
                    s.push_str(&t);
                }
                Piece::Break => s.push_str("<br>"),
                Piece::MarkSeparator => s.push_str("<sup>,</sup>"),
                Piece::Citation(n) if self.p.style == CitationStyle::Brackets => {
                    s.push_str(&format!(r##"<a class="cite" href="#ref-{n}">[{n}]</a>"##));
                }
                Piece::Citation(n) => s.push_str(&self.mark(Mark::Citation(n))),
                Piece::Note(n) => s.push_str(&self.mark(Mark::Note(n))),
            }
        }
        s
    }

    fn mark(&mut self, mark: Mark) -> String {
        self.marks.push(mark);
        let k = self.marks.len();
        format!(r##"<sup class="mark" id="mark-{k}"><a href="#fn-{k}">{k}</a></sup>"##)
    }

    fn heading(&mut self, level: u8, inner: &str, text: &str) {
        self.heading_ids += 1;
        let id = format!("h{}", self.heading_ids);
        let tag = level + 1;
        self.out
            .push_str(&format!("<h{tag} id=\"{id}\">{inner}</h{tag}>\n"));
        self.contents.push((level, text.trim().to_owned(), id));
    }

    fn sections(&mut self, sections: &[RenderedSection]) {
        for section in sections {
            self.heading_ids += 1;
            let id = format!("h{}", self.heading_ids);
            self.out.push_str(&format!(
                "<section aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{}</h2>\n",
                escape(&section.heading)
            ));
            self.contents
                .push((1, section.heading.trim().to_owned(), id));
            self.blocks(&section.blocks);
            self.out.push_str("</section>\n");
        }
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            self.block(b);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading { level, content } => {
                let inner = self.inlines(content);
                self.heading((*level).clamp(2, 3), &inner, &plain_text(content));
            }
            Block::Paragraph { content } => {
                let inner = self.inlines(content);
                self.out.push_str(&format!("<p>{inner}</p>\n"));
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                if *ordered {
                    if *start == 1 {
                        self.out.push_str("<ol>\n");
                    } else {
                        self.out.push_str(&format!("<ol start=\"{start}\">\n"));
                    }
                } else {
                    self.out.push_str("<ul>\n");
                }
                for item in items {
                    self.out.push_str("<li>");
                    // A tight item's single paragraph goes without <p>.
                    match item.as_slice() {
                        [Block::Paragraph { content }] => {
                            let inner = self.inlines(content);
                            self.out.push_str(&inner);
                        }
                        _ => self.blocks(item),
                    }
                    self.out.push_str("</li>\n");
                }
                self.out
                    .push_str(if *ordered { "</ol>\n" } else { "</ul>\n" });
            }
            Block::Quote { blocks } => {
                self.out.push_str("<blockquote>\n");
                self.blocks(blocks);
                self.out.push_str("</blockquote>\n");
            }
            Block::Table { header, rows } => {
                self.out.push_str("<table>\n<thead><tr>");
                for h in header {
                    let inner = self.inlines(h);
                    self.out
                        .push_str(&format!("<th scope=\"col\">{inner}</th>"));
                }
                self.out.push_str("</tr></thead>\n<tbody>\n");
                for r in rows {
                    self.out.push_str("<tr>");
                    for c in r {
                        let inner = self.inlines(c);
                        self.out.push_str(&format!("<td>{inner}</td>"));
                    }
                    self.out.push_str("</tr>\n");
                }
                self.out.push_str("</tbody>\n</table>\n");
            }
            Block::Numbered { items, .. } => {
                self.out.push_str("<ol class=\"records\">\n");
                for item in items {
                    let inner = self.inlines(&item.content);
                    self.out.push_str(&format!(
                        "<li value=\"{}\"><span class=\"num\">{}</span>{inner}",
                        item.number.max(0),
                        escape(&item.label)
                    ));
                    if !item.detail.is_empty() {
                        let detail = self.inlines(&item.detail);
                        self.out
                            .push_str(&format!("<span class=\"detail\">{detail}</span>"));
                    }
                    self.out.push_str("</li>\n");
                }
                self.out.push_str("</ol>\n");
            }
            Block::Rule => self.out.push_str("<hr>\n"),
        }
    }
}

/// The contents as nested lists of links, one list level per heading level present.
fn contents(entries: &[(u8, String, String)]) -> String {
    let mut s = String::from(
        "<nav class=\"contents\" aria-labelledby=\"contents-title\">\n<h2 id=\"contents-title\">Contents</h2>\n",
    );
    // The heading level of each open list, outermost first.
    let mut open: Vec<u8> = Vec::new();
    for (level, text, id) in entries {
        while open.last().is_some_and(|top| top > level) {
            s.push_str("</li></ol>\n");
            open.pop();
        }
        if open.last() == Some(level) {
            s.push_str("</li>\n");
        } else {
            s.push_str("<ol>\n");
            open.push(*level);
        }
        s.push_str(&format!("<li><a href=\"#{id}\">{}</a>", escape(text)));
    }
    while open.pop().is_some() {
        s.push_str("</li></ol>\n");
    }
    s.push_str("</nav>\n");
    s
}

/// The whole page.
pub fn write(p: &Printable) -> String {
    let mut h = Html {
        p,
        out: String::new(),
        marks: Vec::new(),
        heading_ids: 0,
        contents: Vec::new(),
    };
    h.sections(&p.sections);
    if p.style == CitationStyle::Brackets && !p.citations.is_empty() {
        h.heading_ids += 1;
        let id = format!("h{}", h.heading_ids);
        h.contents.push((1, "References".into(), id.clone()));
        h.out.push_str(&format!(
            "<section class=\"references\" aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">References</h2>\n<ol>\n"
        ));
        for c in &p.citations {
            h.out.push_str(&format!(
                "<li id=\"ref-{}\" value=\"{}\">{}</li>\n",
                c.number,
                c.number,
                escape(&c.note_text())
            ));
        }
        h.out.push_str("</ol>\n</section>\n");
    }
    h.sections(&p.appendices);
    if !h.marks.is_empty() {
        h.heading_ids += 1;
        let id = format!("h{}", h.heading_ids);
        h.contents.push((1, "Notes".into(), id.clone()));
        let marks = std::mem::take(&mut h.marks);
        let mut notes = format!(
            "<section class=\"notes\" aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">Notes</h2>\n<ol>\n"
        );
        for (i, mark) in marks.iter().enumerate() {
            let k = i + 1;
            let inner = match mark {
                Mark::Citation(n) => p
                    .citations
                    .get(*n as usize - 1)
                    .map(|c| escape(&c.note_text()))
                    .unwrap_or_default(),
                Mark::Note(n) => {
                    let blocks = p
                        .notes
                        .get(*n as usize - 1)
                        .map(|note| note.blocks.clone())
                        .unwrap_or_default();
                    // A note's own marks are written as plain references to keep the list flat.
                    let mut inner = Html {
                        p,
                        out: String::new(),
                        marks: Vec::new(),
                        heading_ids: 10_000_000 + k as u32 * 1000,
                        contents: Vec::new(),
                    };
                    inner.blocks(&blocks);
                    inner.out
                }
            };
            notes.push_str(&format!(
                "<li id=\"fn-{k}\">{inner} <a href=\"#mark-{k}\" aria-label=\"Back to the text\">↩</a></li>\n"
            ));
        }
        notes.push_str("</ol>\n</section>\n");
        h.out.push_str(&notes);
    }

    let mut page =
        String::from("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; form-action 'none'; base-uri 'none'\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.push_str("<meta name=\"generator\" content=\"Threadline\">\n");
    page.push_str(&format!(
        "<meta name=\"author\" content=\"{}\">\n",
        escape(&p.author)
    ));
    page.push_str(&format!(
        "<title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&p.title),
        escape(&p.subtitle)
    ));
    page.push_str(if p.landscape {
        "<main class=\"wide\">\n"
    } else {
        "<main>\n"
    });
    page.push_str(&format!(
        "<header class=\"title-page\">\n<h1 class=\"title\">{}</h1>\n<p class=\"subtitle\">{}</p>\n",
        escape(&p.title),
        escape(&p.subtitle)
    ));
    if !p.board.is_empty() {
        page.push_str(&format!("<p class=\"board\">{}</p>\n", escape(&p.board)));
    }
    if let Some(m) = &p.marking {
        page.push_str(&format!("<p class=\"marking\">{}</p>\n", escape(m)));
    }
    page.push_str("</header>\n");
    if p.contents {
        page.push_str(&contents(&h.contents));
    }
    page.push_str(&h.out);
    page.push_str("</main>\n</body>\n</html>\n");
    page
}
