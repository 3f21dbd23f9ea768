//! The report as a reader sees it: each section's Markdown parsed into blocks, citation tokens
//! turned into live numbers, and live blocks (`[[block:tor]]`…) filled from current data.
//!
//! [`Review::render_document`] computes everything afresh on every call, so a citation's number
//! follows the sections as they are reordered and a live block shows the records as they are
//! now. Nothing here writes except [`Review::add_default_outline`]. The exporters in
//! [`crate::export`] and the desktop preview both work from the [`RenderedDocument`].
//!
//! Every piece of review text that reaches rendered output passes through
//! [`Renderer::published`]: with [`RenderOptions::publication`] on, it puts pseudonyms in place
//! of the register's real names (see [`crate::publication`]); otherwise the text is unchanged.
//! A publication render also says where each pseudonym stands in the section headings and text
//! runs ([`SubstitutionMark`]), so the publication view can mark it; the real names themselves
//! are only in [`RenderedDocument::substitutions`].

mod cite;
mod live;
mod markdown;
mod outline;

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::model::details::ReviewStatus;
use crate::model::sections::{CitationKind, Document};
use crate::model::text_enum;
use crate::publication::{Pseudonymiser, SubstitutionCount, Tally, Unsubstituted};
use crate::review::Review;

pub(crate) use cite::short_source_name;
pub use live::LIVE_BLOCKS;
pub use outline::{default_outline, OutlineSection};

text_enum! {
    /// How citations appear in an exported document: as footnotes, or as bracketed numbers
    /// with a list of references at the end.
    CitationStyle { Footnotes = "footnotes", Brackets = "brackets" }
}

#[allow(clippy::derivable_impls)]
impl Default for CitationStyle {
    fn default() -> Self {
        CitationStyle::Footnotes
    }
}

/// What [`Review::render_document`] is asked for.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(default)]
pub struct RenderOptions {
    /// How the citations will be shown; kept on the rendered document for the exporters.
    pub citations: CitationStyle,
    /// Render for publication: pseudonyms in place of the register's real names.
    #[ts(as = "Option<bool>", optional)]
    pub publication: bool,
}

/// A run of text or a mark inside a paragraph, heading or table cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    /// Plain, bold and/or italic text.
    Text {
        text: String,
        #[serde(default)]
        bold: bool,
        #[serde(default)]
        italic: bool,
        /// Publication only: where pseudonyms stand in `text`, for the publication view.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        #[ts(as = "Option<Vec<SubstitutionMark>>", optional)]
        substitutions: Vec<SubstitutionMark>,
    },
    /// A line break within the paragraph.
    Break,
    /// A citation: its live number in [`RenderedDocument::citations`].
    Citation { number: u32 },
    /// A reference to one of the author's own footnotes in [`RenderedDocument::notes`].
    Note { number: u32 },
}

impl Inline {
    /// Plain text with no emphasis.
    pub fn plain(text: impl Into<String>) -> Inline {
        Inline::Text {
            text: text.into(),
            bold: false,
            italic: false,
            substitutions: Vec::new(),
        }
    }

    /// Bold text.
    pub fn bold(text: impl Into<String>) -> Inline {
        Inline::Text {
            text: text.into(),
            bold: true,
            italic: false,
            substitutions: Vec::new(),
        }
    }

    /// Italic text.
    pub fn italic(text: impl Into<String>) -> Inline {
        Inline::Text {
            text: text.into(),
            bold: false,
            italic: true,
            substitutions: Vec::new(),
        }
    }
}

/// A pseudonym in a run of published text. It says where the pseudonym stands and which
/// substitution it is, as an index into [`RenderedDocument::substitutions`]; the real name
/// itself is only there, never in the sections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SubstitutionMark {
    /// Byte range of the pseudonym in the run's text.
    pub start: usize,
    pub end: usize,
    /// Its entry in [`RenderedDocument::substitutions`].
    pub substitution: u32,
}

/// One block of a rendered section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A heading inside a section: level 2 or 3 (the section's own heading is level 1).
    Heading {
        level: u8,
        content: Vec<Inline>,
    },
    Paragraph {
        content: Vec<Inline>,
    },
    /// A bulleted (`ordered` false) or numbered list; each item is a list of blocks.
    List {
        ordered: bool,
        /// The first number of a numbered list.
        start: u64,
        items: Vec<Vec<Block>>,
    },
    /// A block quotation (also used to set out a finding or recommendation on its own).
    Quote {
        blocks: Vec<Block>,
    },
    /// A table with a header row; each cell is a run of inlines.
    Table {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// Records listed under their own numbers ("R3", "F12", "4."), from a live block.
    Numbered {
        /// What goes before each number: "R", "F", or "" for plain numbers.
        prefix: String,
        items: Vec<NumberedItem>,
    },
    /// A thematic break.
    Rule,
}

/// One record in a [`Block::Numbered`] list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct NumberedItem {
    /// The record's id, for click-through in the preview.
    pub id: String,
    /// Its human number.
    pub number: i64,
    /// The number as shown: "R3", "F12", "4.".
    pub label: String,
    pub content: Vec<Inline>,
    /// A second line (owner and due date of a recommendation…); may be empty.
    pub detail: Vec<Inline>,
}

/// One section as rendered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct RenderedSection {
    /// The section's id.
    pub id: String,
    pub heading: String,
    /// Publication only: where pseudonyms stand in `heading`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<SubstitutionMark>>", optional)]
    pub heading_substitutions: Vec<SubstitutionMark>,
    pub blocks: Vec<Block>,
}

/// One cited record, numbered by its first appearance in the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CitedItem {
    /// The live number.
    pub number: u32,
    pub kind: CitationKind,
    /// The cited record's id.
    pub id: String,
    /// Where or what it is, short: "Police IMR ¶4.2", "F7", "Chronology 12/03/2021", "ToR 4".
    pub label: String,
    /// What it says, shortened: a finding's statement, an excerpt's quote, an event.
    pub detail: String,
    /// True when the record no longer exists.
    pub missing: bool,
}

impl CitedItem {
    /// The text of this citation's footnote or reference entry.
    pub fn note_text(&self) -> String {
        if self.detail.is_empty() {
            self.label.clone()
        } else {
            format!("{}: {}", self.label, self.detail)
        }
    }
}

/// One of the author's own footnotes (`[^1]` in the Markdown).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct RenderedNote {
    /// Its number, by first reference.
    pub number: u32,
    pub blocks: Vec<Block>,
}

/// Something in a section the renderer could not use as written; the rest still renders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct RenderProblem {
    /// The section it is in.
    pub section_id: String,
    pub heading: String,
    /// What is wrong, in words a user understands.
    pub message: String,
}

/// A whole report, ready to show or export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct RenderedDocument {
    pub document: Document,
    /// The review's title ("Untitled review" when none is set).
    pub title: String,
    /// "Overview report" or "Executive summary".
    pub subtitle: String,
    /// The commissioning board or partnership.
    pub board: String,
    /// Who wrote it (see [`Review::report_author`]).
    pub author: String,
    /// "Draft" until the review is approved or published.
    pub marking: Option<String>,
    pub citation_style: CitationStyle,
    pub sections: Vec<RenderedSection>,
    /// Every cited record, in number order.
    pub citations: Vec<CitedItem>,
    /// The author's footnotes, in number order.
    pub notes: Vec<RenderedNote>,
    pub problems: Vec<RenderProblem>,
    /// Publication only: each name replaced, with how often, in first-seen order (the marks in
    /// the sections point into this list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<SubstitutionCount>>", optional)]
    pub substitutions: Vec<SubstitutionCount>,
    /// Publication only: registered names left as written (no pseudonym yet, or shared).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<Unsubstituted>>", optional)]
    pub unsubstituted: Vec<Unsubstituted>,
}

/// Review text on its way into output: unchanged, or with pseudonyms when `publisher` is set.
pub(crate) fn publish_with(publisher: Option<&Pseudonymiser>, text: &str) -> String {
    match publisher {
        Some(p) => p.apply(text),
        None => text.to_owned(),
    }
}

/// Shortens `text` to at most `max` characters at a word boundary, adding "…".
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut[..i].to_owned(),
        _ => cut,
    };
    format!(
        "{}…",
        cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:".contains(c))
    )
}

/// The plain text of a run of inlines (marks left out).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text { text, .. } => out.push_str(text),
            Inline::Break => out.push(' '),
            Inline::Citation { .. } | Inline::Note { .. } => {}
        }
    }
    out
}

/// Works out the whole document: the renderer's state while sections are parsed.
pub(crate) struct Renderer<'r> {
    pub(crate) review: &'r Review,
    /// Citation tokens in the order they were read: (kind, id).
    pub(crate) tokens: Vec<(CitationKind, String)>,
    /// Footnote references: (section index, label), in the order they were read.
    pub(crate) note_slots: Vec<(usize, String)>,
    pub(crate) note_slot_of: HashMap<(usize, String), u32>,
    /// Footnote definitions by (section index, label).
    pub(crate) definitions: HashMap<(usize, String), Vec<Block>>,
    pub(crate) problems: Vec<RenderProblem>,
    /// The section being parsed: index, id, heading.
    pub(crate) current: (usize, String, String),
    /// Short names of sources, by id.
    pub(crate) source_names: HashMap<String, String>,
    /// The register's matcher when rendering for publication.
    pub(crate) publisher: Option<Pseudonymiser>,
    /// The substitutions made so far.
    pub(crate) tally: RefCell<Tally>,
}

impl<'r> Renderer<'r> {
    fn new(review: &'r Review) -> Self {
        Renderer {
            review,
            tokens: Vec::new(),
            note_slots: Vec::new(),
            note_slot_of: HashMap::new(),
            definitions: HashMap::new(),
            problems: Vec::new(),
            current: (0, String::new(), String::new()),
            source_names: HashMap::new(),
            publisher: None,
            tally: RefCell::new(Tally::default()),
        }
    }

    /// The one place review text enters rendered output: the text as written, or with
    /// pseudonyms in place of real names when rendering for publication.
    pub(crate) fn published(&self, text: &str) -> String {
        match &self.publisher {
            Some(p) => {
                let s = p.substitute(text);
                self.tally.borrow_mut().add(&s.substitutions);
                s.text
            }
            None => text.to_owned(),
        }
    }

    /// Like [`Self::published`], with where each pseudonym stands in the result (none when not
    /// rendering for publication).
    pub(crate) fn published_marked(&self, text: &str) -> (String, Vec<SubstitutionMark>) {
        match &self.publisher {
            Some(p) => {
                let s = p.substitute(text);
                let places = self.tally.borrow_mut().add(&s.substitutions);
                let marks = s
                    .substitutions
                    .iter()
                    .zip(places)
                    .map(|(sub, substitution)| SubstitutionMark {
                        start: sub.start,
                        end: sub.end,
                        substitution,
                    })
                    .collect();
                (s.text, marks)
            }
            None => (text.to_owned(), Vec::new()),
        }
    }

    /// One run of output text: `before` as it is, then review text `text` as published (see
    /// [`Self::published_marked`]).
    pub(crate) fn published_inline(
        &self,
        before: &str,
        text: &str,
        bold: bool,
        italic: bool,
    ) -> Inline {
        let (published, marks) = self.published_marked(text);
        Inline::Text {
            text: format!("{before}{published}"),
            bold,
            italic,
            substitutions: marks
                .into_iter()
                .map(|m| SubstitutionMark {
                    start: m.start + before.len(),
                    end: m.end + before.len(),
                    ..m
                })
                .collect(),
        }
    }

    /// A run of inlines on its way into output (see [`Self::published`]). Adjacent pieces of
    /// text are searched as one, so a name split by formatting is still replaced; the
    /// pseudonym takes the formatting of the name's first piece.
    pub(crate) fn publish_run(&self, inlines: Vec<Inline>) -> Vec<Inline> {
        let Some(p) = &self.publisher else {
            return inlines;
        };
        let mut out = Vec::with_capacity(inlines.len());
        let mut group: Vec<(String, bool, bool)> = Vec::new();
        for inline in inlines {
            match inline {
                // Text from the Markdown carries no marks yet: they are made here.
                Inline::Text {
                    text, bold, italic, ..
                } => group.push((text, bold, italic)),
                other => {
                    self.publish_group(p, std::mem::take(&mut group), &mut out);
                    out.push(other);
                }
            }
        }
        self.publish_group(p, group, &mut out);
        out
    }

    fn publish_group(
        &self,
        p: &Pseudonymiser,
        group: Vec<(String, bool, bool)>,
        out: &mut Vec<Inline>,
    ) {
        if group.is_empty() {
            return;
        }
        let joined: String = group.iter().map(|g| g.0.as_str()).collect();
        let s = p.substitute(&joined);
        let places = self.tally.borrow_mut().add(&s.substitutions);
        let mut a = 0;
        for (text, bold, italic) in group {
            let b = a + text.len();
            let mut piece = String::with_capacity(text.len());
            let mut marks = Vec::new();
            let mut pos = a;
            for (sub, place) in s.substitutions.iter().zip(&places) {
                if sub.source_end <= a || sub.source_start >= b {
                    continue;
                }
                if sub.source_start >= a {
                    piece.push_str(&joined[pos..sub.source_start]);
                    let start = piece.len();
                    piece.push_str(&sub.replacement);
                    marks.push(SubstitutionMark {
                        start,
                        end: piece.len(),
                        substitution: *place,
                    });
                }
                pos = sub.source_end.min(b);
            }
            piece.push_str(&joined[pos..b]);
            if !piece.is_empty() {
                out.push(Inline::Text {
                    text: piece,
                    bold,
                    italic,
                    substitutions: marks,
                });
            }
            a = b;
        }
    }

    /// Notes a problem in the section being parsed.
    pub(crate) fn problem(&mut self, message: impl Into<String>) {
        self.problems.push(RenderProblem {
            section_id: self.current.1.clone(),
            heading: self.current.2.clone(),
            message: message.into(),
        });
    }
}

/// Gives citations and footnotes their final numbers, walking the document in reading order:
/// a citation's number is its record's first appearance, a footnote's its first reference
/// (and a footnote's own text is read where it is first referenced).
struct Numbering<'a> {
    tokens: &'a [(CitationKind, String)],
    note_slots: &'a [(usize, String)],
    definitions: HashMap<(usize, String), Vec<Block>>,
    cited: Vec<(CitationKind, String)>,
    cited_number: HashMap<(CitationKind, String), u32>,
    note_number: HashMap<u32, u32>,
    notes: Vec<RenderedNote>,
}

impl Numbering<'_> {
    fn blocks(&mut self, blocks: &mut [Block]) {
        for block in blocks {
            match block {
                Block::Heading { content, .. } | Block::Paragraph { content } => {
                    self.inlines(content)
                }
                Block::List { items, .. } => {
                    for item in items {
                        self.blocks(item);
                    }
                }
                Block::Quote { blocks } => self.blocks(blocks),
                Block::Table { header, rows } => {
                    for cell in header.iter_mut().chain(rows.iter_mut().flatten()) {
                        self.inlines(cell);
                    }
                }
                Block::Numbered { items, .. } => {
                    for item in items {
                        self.inlines(&mut item.content);
                        self.inlines(&mut item.detail);
                    }
                }
                Block::Rule => {}
            }
        }
    }

    fn inlines(&mut self, inlines: &mut [Inline]) {
        let mut i = 0;
        while i < inlines.len() {
            match &mut inlines[i] {
                Inline::Citation { number } => {
                    let key = self.tokens[*number as usize].clone();
                    let next = self.cited.len() as u32 + 1;
                    let n = *self.cited_number.entry(key.clone()).or_insert_with(|| {
                        self.cited.push(key);
                        next
                    });
                    *number = n;
                }
                Inline::Note { number } => {
                    let slot = *number;
                    if let Some(n) = self.note_number.get(&slot) {
                        *number = *n;
                    } else {
                        let key = self.note_slots[slot as usize].clone();
                        match self.definitions.remove(&key) {
                            Some(mut blocks) => {
                                let n = self.notes.len() as u32 + 1;
                                self.note_number.insert(slot, n);
                                *number = n;
                                self.blocks(&mut blocks);
                                self.notes.push(RenderedNote { number: n, blocks });
                            }
                            None => {
                                // Referenced but never defined (the parser reports those as
                                // text, so this is only a safeguard): keep what was written.
                                inlines[i] = Inline::plain(format!("[^{}]", key.1));
                            }
                        }
                    }
                }
                Inline::Text { .. } | Inline::Break => {}
            }
            i += 1;
        }
    }
}

impl Review {
    /// Renders one report from the current data: every section's Markdown as blocks, citations
    /// numbered by first appearance across the document, live blocks filled in. Problems
    /// (malformed or dangling citations, unknown live blocks, undefined footnotes) are listed
    /// in the result, never raised.
    pub fn render_document(
        &self,
        document: Document,
        options: &RenderOptions,
    ) -> Result<RenderedDocument> {
        let details = self.details()?;
        let sections = self.sections(document)?;
        let mut r = Renderer::new(self);
        if options.publication {
            r.publisher = Some(self.pseudonymiser()?);
        }
        let mut rendered = Vec::with_capacity(sections.len());
        for (index, section) in sections.iter().enumerate() {
            r.current = (index, section.id.clone(), section.heading.clone());
            let blocks = r.parse_body(index, &section.body)?;
            let (heading, heading_substitutions) = r.published_marked(&section.heading);
            rendered.push(RenderedSection {
                id: section.id.clone(),
                heading,
                heading_substitutions,
                blocks,
            });
        }

        let mut numbering = Numbering {
            tokens: &r.tokens,
            note_slots: &r.note_slots,
            definitions: std::mem::take(&mut r.definitions),
            cited: Vec::new(),
            cited_number: HashMap::new(),
            note_number: HashMap::new(),
            notes: Vec::new(),
        };
        for section in &mut rendered {
            numbering.blocks(&mut section.blocks);
        }
        let Numbering { cited, notes, .. } = numbering;
        let mut citations = Vec::with_capacity(cited.len());
        for (i, (kind, id)) in cited.into_iter().enumerate() {
            let item = r.describe(i as u32 + 1, kind, &id)?;
            if item.missing {
                // Say which section cites it, once per record.
                let section = sections
                    .iter()
                    .find(|s| s.body.contains(&id))
                    .map(|s| (s.id.clone(), s.heading.clone()))
                    .unwrap_or_default();
                r.problems.push(RenderProblem {
                    section_id: section.0,
                    heading: section.1,
                    message: format!(
                        "citation {} points at a {} that no longer exists",
                        item.number,
                        kind_name(kind)
                    ),
                });
            }
            citations.push(item);
        }

        let substitutions = r.tally.borrow().counts();
        Ok(RenderedDocument {
            document,
            title: r.published(if details.title.trim().is_empty() {
                "Untitled review"
            } else {
                details.title.trim()
            }),
            subtitle: crate::search::document_name(document.as_str()).to_owned(),
            board: r.published(details.board.trim()),
            author: r.published(&self.report_author()?),
            marking: (!matches!(
                details.status,
                ReviewStatus::Approved | ReviewStatus::Published
            ))
            .then(|| "Draft".to_owned()),
            citation_style: options.citations,
            sections: rendered,
            citations,
            notes,
            problems: r.problems,
            substitutions,
            unsubstituted: r
                .publisher
                .as_ref()
                .map(|p| p.unsubstituted().to_vec())
                .unwrap_or_default(),
        })
    }

    /// Who wrote the report, for a document's properties: the panel member whose role names
    /// the overview author (or, failing that, the independent reviewer); else the board; else
    /// the person working on this copy.
    pub fn report_author(&self) -> Result<String> {
        let members = self.panel_members()?;
        let by_role = |words: &[&str]| {
            members
                .iter()
                .find(|m| {
                    let role = m.role.to_lowercase();
                    words.iter().any(|w| role.contains(w))
                })
                .map(|m| m.name.trim().to_owned())
        };
        if let Some(name) = by_role(&["author"]).or_else(|| by_role(&["reviewer"])) {
            return Ok(name);
        }
        let board = self.details()?.board;
        if !board.trim().is_empty() {
            return Ok(board.trim().to_owned());
        }
        Ok(self.actor().name.clone())
    }

    /// The time the review's clock says it is now (exports stamp their properties with it).
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// A citation kind in words.
pub(crate) fn kind_name(kind: CitationKind) -> &'static str {
    match kind {
        CitationKind::Finding => "finding",
        CitationKind::Excerpt => "excerpt",
        CitationKind::Chronology => "chronology entry",
        CitationKind::Recommendation => "recommendation",
        CitationKind::Paragraph => "source paragraph",
        CitationKind::Tor => "term of reference",
        CitationKind::Source => "source",
    }
}
