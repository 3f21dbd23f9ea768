//! Markdown output (CommonMark with footnotes and pipe tables). Text is escaped so that what
//! was written as words stays words: no stray emphasis, links, HTML or list markers.
//! Section headings are level 1, a section's own subheadings levels 2 and 3, so a section's
//! text reads back into Threadline as it was written.

use super::{pieces, Piece, Printable};
use crate::report::{Block, CitationStyle, Inline};

/// Backslash-escapes what Markdown would otherwise read as syntax. `line_start` says whether
/// the text begins a line, where `#`, `-`, `+`, `>` and `1.` matter too.
pub(crate) fn escape_md(text: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // Whether everything so far on the line is spaces, or spaces and digits (with a digit).
    let mut blank = line_start;
    let mut number = line_start;
    let mut digit = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '|' | '~' => true,
            // "&amp;" and "&#38;" would be read as the characters they name.
            '&' => chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#'),
            '-' | '+' | '=' | '#' | '>' => blank,
            // "1." or "1)" at the start of a line would begin a numbered list.
            '.' | ')' => number && digit,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        blank = blank && c == ' ';
        digit = digit || c.is_ascii_digit();
        number = number && (c == ' ' || c.is_ascii_digit());
        // Tabs and carriage returns would start code blocks or break lines.
        match c {
            '\t' => out.push(' '),
            '\r' => {}
            other => out.push(other),
        }
    }
    out
}

struct Md<'a> {
    p: &'a Printable,
    /// Footnotes written so far: their text.
    footnotes: Vec<String>,
}

/// Puts emphasis markers round `text`, keeping spaces at its ends outside them (CommonMark
/// does not read `** x**` as bold).
fn emphasise(text: &str, marker: &str) -> String {
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len();
    if start >= end {
        return text.to_owned();
    }
    format!(
        "{}{marker}{}{marker}{}",
        &text[..start],
        &text[start..end],
        &text[end..]
    )
}

impl Md<'_> {
    fn inlines(&mut self, inlines: &[Inline], in_note: bool) -> String {
        let mut s = String::new();
        let style = if in_note {
            CitationStyle::Brackets
        } else {
            self.p.style
        };
        for piece in pieces(inlines, style) {
            match piece {
                Piece::Text { text, bold, italic } => {
                    let text = text.replace('\n', " ");
                    let mut t = escape_md(&text, s.is_empty() || s.ends_with('\n'));
                    if italic {
                        t = emphasise(&t, "*");
                    }
                    if bold {
                        t = emphasise(&t, "**");
                    }
                    s.push_str(&t);
                }
                Piece::Break => s.push_str("\\\n"),
                Piece::MarkSeparator => {}
                Piece::Citation(n) => {
                    if style == CitationStyle::Footnotes {
                        let text = self
                            .p
                            .citations
                            .get(n as usize - 1)
                            .map(|c| escape_md(&c.note_text(), false))
                            .unwrap_or_default();
                        s.push_str(&self.footnote(text));
                    } else {
                        s.push_str(&format!("\\[{n}\\]"));
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
                    let mut parts = Vec::new();
                    for b in &blocks {
                        if let Block::Paragraph { content } | Block::Heading { content, .. } = b {
                            parts.push(self.inlines(content, true));
                        }
                    }
                    s.push_str(&self.footnote(parts.join(" ")));
                }
            }
        }
        s
    }

    fn footnote(&mut self, text: String) -> String {
        self.footnotes.push(text);
        format!("[^{}]", self.footnotes.len())
    }

    /// The blocks as lines; the caller indents them for lists and quotes.
    fn blocks(&mut self, blocks: &[Block], out: &mut Vec<String>) {
        for (i, block) in blocks.iter().enumerate() {
            if i > 0 {
                out.push(String::new());
            }
            self.block(block, out);
        }
    }

    fn block(&mut self, block: &Block, out: &mut Vec<String>) {
        match block {
            Block::Heading { level, content } => {
                let hashes = "#".repeat((*level).clamp(2, 3) as usize);
                let text = self.inlines(content, false).replace("\\\n", " ");
                out.push(format!("{hashes} {text}"));
            }
            Block::Paragraph { content } => {
                let text = self.inlines(content, false);
                out.extend(text.split('\n').map(str::to_owned));
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                for (i, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}. ", start + i as u64)
                    } else {
                        "- ".to_owned()
                    };
                    let mut lines = Vec::new();
                    self.blocks(item, &mut lines);
                    let pad = " ".repeat(marker.len());
                    for (j, line) in lines.into_iter().enumerate() {
                        if j == 0 {
                            out.push(format!("{marker}{line}"));
                        } else if line.is_empty() {
                            out.push(String::new());
                        } else {
                            out.push(format!("{pad}{line}"));
                        }
                    }
                    if items.iter().any(|it| it.len() > 1) && i + 1 < items.len() {
                        out.push(String::new());
                    }
                }
            }
            Block::Quote { blocks } => {
                let mut lines = Vec::new();
                self.blocks(blocks, &mut lines);
                for line in lines {
                    if line.is_empty() {
                        out.push(">".into());
                    } else {
                        out.push(format!("> {line}"));
                    }
                }
            }
            Block::Table { header, rows } => {
                let cols = header
                    .len()
                    .max(rows.iter().map(|r| r.len()).max().unwrap_or(0));
                if cols == 0 {
                    return;
                }
                let cell = |c: Option<&Vec<Inline>>, this: &mut Self| {
                    c.map(|c| this.inlines(c, false).replace("\\\n", " "))
                        .unwrap_or_default()
                };
                let head: Vec<String> = (0..cols).map(|i| cell(header.get(i), self)).collect();
                out.push(format!("| {} |", head.join(" | ")));
                out.push(format!("|{}|", vec![" --- "; cols].join("|")));
                for r in rows {
                    let cells: Vec<String> = (0..cols).map(|i| cell(r.get(i), self)).collect();
                    out.push(format!("| {} |", cells.join(" | ")));
                }
            }
            Block::Numbered { items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(String::new());
                    }
                    let text = self.inlines(&item.content, false);
                    let label = escape_md(&item.label, false);
                    let mut lines = text.split('\n');
                    out.push(format!("**{label}** {}", lines.next().unwrap_or_default()));
                    out.extend(lines.map(str::to_owned));
                    if !item.detail.is_empty() {
                        let detail = self.inlines(&item.detail, false);
                        out.push(String::new());
                        out.extend(detail.split('\n').map(str::to_owned));
                    }
                }
            }
            Block::Rule => out.push("---".into()),
        }
    }
}

/// The whole document as Markdown.
pub fn write(p: &Printable) -> String {
    let mut md = Md {
        p,
        footnotes: Vec::new(),
    };
    let mut out = Vec::new();
    out.push(format!("# {}", escape_md(&p.title, false)));
    out.push(String::new());
    let mut front = vec![format!("*{}*", escape_md(&p.subtitle, false))];
    if !p.board.is_empty() {
        front.push(escape_md(&p.board, true));
    }
    if let Some(m) = &p.marking {
        front.push(format!("**{}**", escape_md(m, false)));
    }
    out.push(front.join("\\\n"));
    for section in &p.sections {
        out.push(String::new());
        out.push(format!("# {}", escape_md(&section.heading, false)));
        if !section.blocks.is_empty() {
            out.push(String::new());
            md.blocks(&section.blocks, &mut out);
        }
    }
    if p.style == CitationStyle::Brackets && !p.citations.is_empty() {
        out.push(String::new());
        out.push("# References".into());
        out.push(String::new());
        for c in &p.citations {
            out.push(format!(
                "{}\\. {}\\",
                c.number,
                escape_md(&c.note_text(), false)
            ));
        }
        // The last line needs no hard break after it.
        if let Some(last) = out.last_mut() {
            last.pop();
        }
    }
    for section in &p.appendices {
        out.push(String::new());
        out.push(format!("# {}", escape_md(&section.heading, false)));
        if !section.blocks.is_empty() {
            out.push(String::new());
            md.blocks(&section.blocks, &mut out);
        }
    }
    if !md.footnotes.is_empty() {
        out.push(String::new());
        for (i, text) in md.footnotes.iter().enumerate() {
            out.push(format!("[^{}]: {text}", i + 1));
        }
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}
