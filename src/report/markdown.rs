//! A section's Markdown body into blocks, with pulldown-cmark.
//!
//! Before parsing, each citation token becomes a private-use placeholder (`U+E000 n U+E001`)
//! that Markdown leaves alone, and each line holding only a live block (`[[block:tor]]`)
//! becomes a paragraph of its own holding `U+E002 n U+E003`. After parsing, placeholders in
//! text become [`Inline::Citation`] marks (numbered later) and a paragraph that is just a
//! live-block placeholder is replaced by the block's content. Raw HTML in a body is kept as
//! text: nothing a user typed or imported is ever interpreted as markup downstream.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{Block, Inline, Renderer};
use crate::error::Result;
use crate::model::sections::{scan_citations, CitationKind};

const CITE_OPEN: char = '\u{E000}';
const CITE_CLOSE: char = '\u{E001}';
const BLOCK_OPEN: char = '\u{E002}';
const BLOCK_CLOSE: char = '\u{E003}';

/// True for the placeholder characters, which a body may not carry through as text.
fn is_placeholder(c: char) -> bool {
    ('\u{E000}'..='\u{E003}').contains(&c)
}

/// The name inside a line that is only a live-block token, `[[block:NAME]]`.
fn block_line(line: &str) -> Option<String> {
    let inner = line.trim().strip_prefix("[[")?.strip_suffix("]]")?;
    let (kind, name) = inner.split_once(':')?;
    if !kind.trim().eq_ignore_ascii_case("block") || inner.contains("[[") || inner.contains("]]") {
        return None;
    }
    Some(name.trim().to_lowercase())
}

/// One container being filled while events are read.
enum Frame {
    Root(Vec<Block>),
    Quote(Vec<Block>),
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>),
    Note(String, Vec<Block>),
    Table {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        row: Vec<Vec<Inline>>,
    },
}

/// What the inline run being collected will become.
#[derive(Clone, Copy, PartialEq)]
enum Run {
    Paragraph,
    Heading(u8),
    Cell,
}

/// The parser's state for one body.
struct Builder {
    frames: Vec<Frame>,
    run: Option<(Run, Vec<Inline>)>,
    bold: u32,
    italic: u32,
    /// The destination of each open link.
    links: Vec<String>,
    /// Where the text of the innermost open link starts in the run.
    link_starts: Vec<usize>,
}

impl Builder {
    fn new() -> Self {
        Builder {
            frames: vec![Frame::Root(Vec::new())],
            run: None,
            bold: 0,
            italic: 0,
            links: Vec::new(),
            link_starts: Vec::new(),
        }
    }

    /// The inlines being collected, starting an implicit paragraph (a tight list item's
    /// text arrives with no paragraph around it).
    fn inlines(&mut self) -> &mut Vec<Inline> {
        if self.run.is_none() {
            self.run = Some((Run::Paragraph, Vec::new()));
        }
        &mut self.run.as_mut().expect("just set").1
    }

    fn text(&mut self, text: &str) {
        let (bold, italic) = (self.bold > 0, self.italic > 0);
        let inlines = self.inlines();
        if let Some(Inline::Text {
            text: last,
            bold: b,
            italic: i,
            ..
        }) = inlines.last_mut()
        {
            if *b == bold && *i == italic {
                last.push_str(text);
                return;
            }
        }
        inlines.push(Inline::Text {
            text: text.to_owned(),
            bold,
            italic,
            substitutions: Vec::new(),
        });
    }

    /// Text that keeps its line breaks (code, raw HTML); a break at the very end of a
    /// paragraph is trimmed when the paragraph ends.
    fn literal(&mut self, text: &str) {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.inlines().push(Inline::Break);
            }
            if !line.is_empty() {
                self.text(line);
            }
        }
    }

    fn push_block(&mut self, block: Block) {
        for frame in self.frames.iter_mut().rev() {
            match frame {
                Frame::Root(v) | Frame::Quote(v) | Frame::Item(v) | Frame::Note(_, v) => {
                    v.push(block);
                    return;
                }
                Frame::List { .. } | Frame::Table { .. } => continue,
            }
        }
    }
}

impl Renderer<'_> {
    /// Replaces citation tokens and live-block lines by placeholders, noting bad tokens.
    fn prepare(&mut self, body: &str, blocks: &mut Vec<String>) -> String {
        let mut out = String::with_capacity(body.len() + 16);
        for line in body.split_inclusive('\n') {
            if let Some(name) = block_line(line) {
                let indent: String = line.chars().take_while(|c| *c == ' ').collect();
                out.push('\n');
                out.push_str(&indent);
                out.push(BLOCK_OPEN);
                out.push_str(&blocks.len().to_string());
                out.push(BLOCK_CLOSE);
                out.push_str("\n\n");
                blocks.push(name);
                continue;
            }
            let scan = scan_citations(line);
            for e in &scan.errors {
                if e.token.to_lowercase().starts_with("[[block:") {
                    self.problem(format!(
                        "the live block {} must stand on a line of its own",
                        e.token
                    ));
                } else {
                    self.problem(format!("{} is not a citation: {}", e.token, e.problem));
                }
            }
            let mut at = 0;
            for c in &scan.citations {
                out.extend(line[at..c.start].chars().filter(|c| !is_placeholder(*c)));
                out.push(CITE_OPEN);
                out.push_str(&self.tokens.len().to_string());
                out.push(CITE_CLOSE);
                self.tokens.push((c.kind, c.id.clone()));
                at = c.end;
            }
            out.extend(line[at..].chars().filter(|c| !is_placeholder(*c)));
        }
        out
    }

    /// Parses one section body into blocks. `index` is the section's place in the document.
    pub(crate) fn parse_body(&mut self, index: usize, body: &str) -> Result<Vec<Block>> {
        let mut live_names = Vec::new();
        let text = self.prepare(body, &mut live_names);
        let mut b = Builder::new();
        let options = Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES;
        for event in Parser::new_ext(&text, options) {
            match event {
                Event::Start(tag) => {
                    // A block starting ends any text still being collected (a tight list
                    // item's words before a nested list).
                    if !matches!(
                        tag,
                        Tag::Emphasis
                            | Tag::Strong
                            | Tag::Strikethrough
                            | Tag::Superscript
                            | Tag::Subscript
                            | Tag::Link { .. }
                            | Tag::Image { .. }
                            | Tag::TableHead
                            | Tag::TableRow
                            | Tag::TableCell
                    ) {
                        self.flush(&mut b, &live_names)?;
                    }
                    self.start(&mut b, tag)
                }
                Event::End(tag) => self.end(&mut b, tag, index, &live_names)?,
                Event::Text(t) => b.text(&t),
                Event::Code(t) => b.text(&t),
                Event::Html(t) | Event::InlineHtml(t) => b.literal(&t),
                Event::InlineMath(t) | Event::DisplayMath(t) => b.text(&t),
                Event::FootnoteReference(label) => {
                    let key = (index, label.to_string());
                    let slot = match self.note_slot_of.get(&key) {
                        Some(s) => *s,
                        None => {
                            let s = self.note_slots.len() as u32;
                            self.note_slots.push(key.clone());
                            self.note_slot_of.insert(key, s);
                            s
                        }
                    };
                    b.inlines().push(Inline::Note { number: slot });
                }
                Event::SoftBreak => b.text(" "),
                Event::HardBreak => b.inlines().push(Inline::Break),
                Event::Rule => {
                    self.flush(&mut b, &live_names)?;
                    b.push_block(Block::Rule);
                }
                Event::TaskListMarker(done) => b.text(if done { "[x] " } else { "[ ] " }),
            }
        }
        self.flush(&mut b, &live_names)?;
        while b.frames.len() > 1 {
            // Unbalanced input cannot come from pulldown-cmark, but never lose text.
            let frame = b.frames.pop().expect("more than one");
            if let Frame::Quote(v) | Frame::Item(v) | Frame::Note(_, v) = frame {
                for block in v {
                    b.push_block(block);
                }
            }
        }
        match b.frames.pop() {
            Some(Frame::Root(blocks)) => Ok(blocks),
            _ => Ok(Vec::new()),
        }
    }

    fn start(&mut self, b: &mut Builder, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::CodeBlock(_) | Tag::HtmlBlock => {
                b.run = Some((Run::Paragraph, Vec::new()));
            }
            Tag::Heading { level, .. } => {
                let level = match level {
                    HeadingLevel::H1 | HeadingLevel::H2 => 2,
                    _ => 3,
                };
                b.run = Some((Run::Heading(level), Vec::new()));
            }
            Tag::BlockQuote(_) => b.frames.push(Frame::Quote(Vec::new())),
            Tag::List(start) => b.frames.push(Frame::List {
                ordered: start.is_some(),
                start: start.unwrap_or(1),
                items: Vec::new(),
            }),
            Tag::Item => b.frames.push(Frame::Item(Vec::new())),
            Tag::FootnoteDefinition(label) => {
                b.frames.push(Frame::Note(label.to_string(), Vec::new()))
            }
            Tag::Table(_) => b.frames.push(Frame::Table {
                header: Vec::new(),
                rows: Vec::new(),
                row: Vec::new(),
            }),
            Tag::TableHead | Tag::TableRow => {
                if let Some(Frame::Table { row, .. }) = b.frames.last_mut() {
                    row.clear();
                }
            }
            Tag::TableCell => b.run = Some((Run::Cell, Vec::new())),
            Tag::Emphasis => b.italic += 1,
            Tag::Strong => b.bold += 1,
            Tag::Link { dest_url, .. } => {
                b.links.push(dest_url.to_string());
                let at = b.inlines().len();
                b.link_starts.push(at);
            }
            Tag::Image { dest_url, .. } => {
                b.links.push(dest_url.to_string());
                let at = b.inlines().len();
                b.link_starts.push(at);
            }
            Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(
        &mut self,
        b: &mut Builder,
        tag: TagEnd,
        index: usize,
        live_names: &[String],
    ) -> Result<()> {
        match tag {
            TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::Heading(_) => {
                self.flush(b, live_names)?
            }
            TagEnd::BlockQuote(_) => {
                self.flush(b, live_names)?;
                if let Some(Frame::Quote(blocks)) = b.frames.pop() {
                    b.push_block(Block::Quote { blocks });
                }
            }
            TagEnd::List(_) => {
                self.flush(b, live_names)?;
                if let Some(Frame::List {
                    ordered,
                    start,
                    items,
                }) = b.frames.pop()
                {
                    b.push_block(Block::List {
                        ordered,
                        start,
                        items,
                    });
                }
            }
            TagEnd::Item => {
                self.flush(b, live_names)?;
                if let Some(Frame::Item(blocks)) = b.frames.pop() {
                    if let Some(Frame::List { items, .. }) = b.frames.last_mut() {
                        items.push(blocks);
                    }
                }
            }
            TagEnd::FootnoteDefinition => {
                self.flush(b, live_names)?;
                if let Some(Frame::Note(label, blocks)) = b.frames.pop() {
                    self.definitions.entry((index, label)).or_insert(blocks);
                }
            }
            TagEnd::TableCell => {
                let cell = b.run.take().map(|(_, v)| v).unwrap_or_default();
                let cell = self.resolve(cell);
                if let Some(Frame::Table { row, .. }) = b.frames.last_mut() {
                    row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(Frame::Table { header, row, .. }) = b.frames.last_mut() {
                    *header = std::mem::take(row);
                }
            }
            TagEnd::TableRow => {
                if let Some(Frame::Table { rows, row, .. }) = b.frames.last_mut() {
                    rows.push(std::mem::take(row));
                }
            }
            TagEnd::Table => {
                if let Some(Frame::Table { header, rows, .. }) = b.frames.pop() {
                    b.push_block(Block::Table { header, rows });
                }
            }
            TagEnd::Emphasis => b.italic = b.italic.saturating_sub(1),
            TagEnd::Strong => b.bold = b.bold.saturating_sub(1),
            TagEnd::Link | TagEnd::Image => {
                let url = b.links.pop().unwrap_or_default();
                let start = b.link_starts.pop().unwrap_or(0);
                let inlines = b.inlines();
                let shown = super::plain_text(&inlines[start.min(inlines.len())..]);
                let url = url.trim();
                // Only the words travel; an address the words do not already give follows
                // in brackets, as text.
                if !url.is_empty() && !url.starts_with('#') && shown.trim() != url {
                    b.text(&format!(" ({url})"));
                }
            }
            TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => {}
        }
        Ok(())
    }

    /// Ends the inline run being collected, turning it into a block.
    fn flush(&mut self, b: &mut Builder, live_names: &[String]) -> Result<()> {
        let Some((run, inlines)) = b.run.take() else {
            return Ok(());
        };
        if run == Run::Paragraph {
            if let Some(i) = live_placeholder(&inlines) {
                let name = live_names.get(i).cloned().unwrap_or_default();
                match self.live_block(&name)? {
                    Some(blocks) => {
                        for block in blocks {
                            b.push_block(block);
                        }
                    }
                    None => {
                        self.problem(format!(
                            "[[block:{name}]] is not a live block; use one of: {}",
                            super::live::LIVE_BLOCKS.join(", ")
                        ));
                        b.push_block(Block::Paragraph {
                            content: vec![Inline::plain(format!("[[block:{name}]]"))],
                        });
                    }
                }
                return Ok(());
            }
        }
        let inlines = self.resolve(inlines);
        let inlines = trim_run(inlines);
        if inlines.is_empty() {
            return Ok(());
        }
        match run {
            Run::Paragraph => {
                let block = match self.embedded(&inlines)? {
                    Some(block) => block,
                    None => Block::Paragraph { content: inlines },
                };
                b.push_block(block);
            }
            Run::Heading(level) => b.push_block(Block::Heading {
                level,
                content: inlines,
            }),
            Run::Cell => {}
        }
        Ok(())
    }

    /// Splits text at citation placeholders and passes the words through
    /// [`Renderer::publish_run`].
    fn resolve(&mut self, inlines: Vec<Inline>) -> Vec<Inline> {
        let mut out = Vec::with_capacity(inlines.len());
        for inline in inlines {
            let Inline::Text {
                text, bold, italic, ..
            } = inline
            else {
                out.push(inline);
                continue;
            };
            let mut rest = text.as_str();
            while let Some(open) = rest.find(CITE_OPEN) {
                let after = &rest[open + CITE_OPEN.len_utf8()..];
                let Some(close) = after.find(CITE_CLOSE) else {
                    break;
                };
                if open > 0 {
                    out.push(Inline::Text {
                        text: rest[..open].to_owned(),
                        bold,
                        italic,
                        substitutions: Vec::new(),
                    });
                }
                if let Ok(slot) = after[..close].parse::<u32>() {
                    out.push(Inline::Citation { number: slot });
                }
                rest = &after[close + CITE_CLOSE.len_utf8()..];
            }
            let rest: String = rest.chars().filter(|c| !is_placeholder(*c)).collect();
            self.note_undefined_footnotes(&text);
            if !rest.is_empty() {
                out.push(Inline::Text {
                    text: rest,
                    bold,
                    italic,
                    substitutions: Vec::new(),
                });
            }
        }
        // Names are looked for across the whole run, so one split by formatting
        // (`**La**ura`) is still found.
        self.publish_run(out)
    }

    /// Markdown leaves a footnote reference with no definition as text; say so once per
    /// label, since the reader would otherwise see `[^3]` and nobody would know why.
    fn note_undefined_footnotes(&mut self, text: &str) {
        let mut rest = text;
        while let Some(i) = rest.find("[^") {
            let after = &rest[i + 2..];
            let Some(end) = after.find(']') else {
                break;
            };
            let label = &after[..end];
            if !label.is_empty() && !label.contains(char::is_whitespace) && !label.contains('[') {
                let message = format!(
                    "footnote [^{label}] is referenced but never written out (add a line \"[^{label}]: …\")"
                );
                if !self
                    .problems
                    .iter()
                    .any(|p| p.message == message && p.section_id == self.current.1)
                {
                    self.problem(message);
                }
            }
            rest = &after[end..];
        }
    }

    /// A paragraph that is nothing but one citation of a finding or recommendation sets that
    /// record out in full, as a quotation led by its number.
    fn embedded(&mut self, inlines: &[Inline]) -> Result<Option<Block>> {
        let [Inline::Citation { number: slot }] = inlines else {
            return Ok(None);
        };
        let (kind, id) = self.tokens[*slot as usize].clone();
        let found: Option<(i64, String)> = match kind {
            CitationKind::Finding => self.number_and_text("finding", "statement", &id)?,
            CitationKind::Recommendation => self.number_and_text("recommendation", "text", &id)?,
            _ => None,
        };
        let Some((number, text)) = found else {
            return Ok(None);
        };
        let prefix = if kind == CitationKind::Finding {
            "F"
        } else {
            "R"
        };
        Ok(Some(Block::Quote {
            blocks: vec![Block::Paragraph {
                content: vec![
                    Inline::bold(format!("{prefix}{number}")),
                    self.published_inline(" ", text.trim(), false, false),
                ],
            }],
        }))
    }

    fn number_and_text(
        &self,
        table: &str,
        column: &str,
        id: &str,
    ) -> Result<Option<(i64, String)>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .review
            .db()
            .prepare_cached(&format!(
                "SELECT number, {column} FROM {table} WHERE id = ?1"
            ))?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }
}

/// The live-block index when a paragraph is just a live-block placeholder.
fn live_placeholder(inlines: &[Inline]) -> Option<usize> {
    let [Inline::Text { text, .. }] = inlines else {
        return None;
    };
    text.trim()
        .strip_prefix(BLOCK_OPEN)?
        .strip_suffix(BLOCK_CLOSE)?
        .parse()
        .ok()
}

/// Drops blank text at the ends of a run and leading or trailing line breaks.
fn trim_run(mut inlines: Vec<Inline>) -> Vec<Inline> {
    while let Some(first) = inlines.first_mut() {
        match first {
            Inline::Break => {
                inlines.remove(0);
            }
            Inline::Text {
                text,
                substitutions,
                ..
            } => {
                let trimmed = text.trim_start();
                if trimmed.is_empty() {
                    inlines.remove(0);
                } else {
                    // Marks follow the text they mark.
                    let cut = text.len() - trimmed.len();
                    for m in substitutions.iter_mut() {
                        m.start -= cut;
                        m.end -= cut;
                    }
                    *text = trimmed.to_owned();
                    break;
                }
            }
            _ => break,
        }
    }
    while let Some(last) = inlines.last_mut() {
        match last {
            Inline::Break => {
                inlines.pop();
            }
            Inline::Text { text, .. } => {
                let trimmed = text.trim_end();
                if trimmed.is_empty() {
                    inlines.pop();
                } else {
                    let len = trimmed.len();
                    text.truncate(len);
                    break;
                }
            }
            _ => break,
        }
    }
    inlines
}
