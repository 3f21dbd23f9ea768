//! Document import: a read document becomes a source; a new version re-anchors excerpts.
//!
//! [`Review::import_document`] reads a Word (.docx) or text (.txt, .md) file completely, then
//! writes the source and all its paragraphs as one change. When the file is a new version of
//! a source already in the review (an agency's re-issued IMR), the old source stays and every
//! excerpt of it is moved onto the new text in that same change: first where its quote occurs
//! exactly (preferring the paragraph with the same label, then the same place in the
//! document), then where the closest match reaches [`REANCHOR_THRESHOLD`]. Evidence links
//! follow their excerpts, so findings cite the new version. Excerpts that cannot be placed
//! stay on the old version and are listed with the best similarity found; nothing is dropped.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::docx::MAX_TEXT_CHARS;
use super::docx::{read_docx, DocumentComment, DocumentCounts, DocumentParagraph, DocxDocument};
use super::{detect_format, file_name, read_limited, FileFormat, ImportProgress, MAX_FILE_BYTES};
use crate::change::{Change, ChangeKind, Table};
use crate::error::{Error, Result};
use crate::model::sources::{
    insert_source, sha256_bytes_hex, sha256_hex, split_plain_text, validate_source, Confidence,
    Excerpt, ParagraphKind, Source, SourceInput, SourceKind,
};
use crate::review::Review;

/// How close (0 to 1, normalized Levenshtein) the best match of a quote in a new version must
/// be for its excerpt to move there when the quote no longer occurs exactly.
pub const REANCHOR_THRESHOLD: f64 = 0.8;

/// Quotes shorter than this (in characters) move only on an exact match: a close match of a
/// few characters says nothing.
const MIN_FUZZY_CHARS: usize = 12;
/// How many paragraphs sharing the most words with a quote are searched for its closest match.
const FUZZY_CANDIDATES: usize = 6;
/// Above this combined length, similarity is measured over words rather than characters.
const CHAR_COMPARE_LIMIT: usize = 1200;

/// What importing a document did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DocumentImport {
    /// The new source.
    pub source: Source,
    pub format: FileFormat,
    pub counts: DocumentCounts,
    /// Whether the document held tracked changes; its accepted reading was imported.
    pub tracked_changes: bool,
    /// The comments in the document's margin, with the paragraph each is on.
    pub comments: Vec<DocumentComment>,
    /// Excerpts of the replaced version now on the new one.
    pub reanchored: Vec<ReanchoredExcerpt>,
    /// Excerpts of the replaced version that could not be placed; they stay on it.
    pub unplaced: Vec<UnplacedExcerpt>,
}

/// An excerpt moved onto the new version of its document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ReanchoredExcerpt {
    pub excerpt_id: String,
    /// The paragraph of the new version it now quotes.
    pub paragraph_id: String,
    pub paragraph_seq: i64,
    pub paragraph_label: Option<String>,
    /// The quote before the move.
    pub old_quote: String,
    /// The quote now (the same text when `exact`).
    pub quote: String,
    /// Whether the quote was found word for word.
    pub exact: bool,
    /// 1 for an exact match, otherwise the similarity of the closest match (0 to 1).
    pub similarity: f64,
}

/// An excerpt that could not be placed on the new version; it still quotes the old one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct UnplacedExcerpt {
    pub excerpt_id: String,
    pub quote: String,
    /// The paragraph of the old version it quotes.
    pub paragraph_id: String,
    pub paragraph_seq: i64,
    pub paragraph_label: Option<String>,
    /// The similarity of the closest match found (0 to 1), below [`REANCHOR_THRESHOLD`].
    pub best_similarity: f64,
}

/// Reads a document of the given format from its bytes: Word through
/// [`read_docx`](super::docx::read_docx), text through [`read_text_document`]. Spreadsheets are
/// refused: they are chronologies.
pub fn read_document(bytes: &[u8], name: &str, format: FileFormat) -> Result<DocxDocument> {
    match format {
        FileFormat::Docx => read_docx(bytes, name),
        FileFormat::Text => read_text_document(bytes, name),
        FileFormat::Csv | FileFormat::Xlsx => Err(spreadsheet_refused(name)),
    }
}

/// The error for a spreadsheet offered as a document.
fn spreadsheet_refused(name: &str) -> Error {
    Error::Unsupported {
        name: name.to_owned(),
        kind: "a spreadsheet".into(),
        advice: "spreadsheets are imported as chronologies, not as documents".into(),
    }
}

/// Reads a text file's bytes as a document: UTF-8 (with or without a byte-order mark), UTF-16
/// with one, or else Windows-1252; split into paragraphs as typed text is (see
/// [`split_plain_text`]). In a Markdown file (`.md`), "#" headings and "-" or "*" bullets
/// are recognised too.
pub fn read_text_document(bytes: &[u8], name: &str) -> Result<DocxDocument> {
    let text = decode_text(bytes);
    if let Some(byte) = text.find('\0') {
        let line = text[..byte].matches('\n').count() + 1;
        return Err(Error::BadDocument {
            name: name.to_owned(),
            reason: format!(
                "it contains a NUL character (line {line}), so it is a binary file, not text"
            ),
        });
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(Error::BadDocument {
            name: name.to_owned(),
            reason: "it holds more than 10 million characters of text".into(),
        });
    }
    let markdown = name.to_lowercase().ends_with(".md");
    let mut counts = DocumentCounts::default();
    let paragraphs: Vec<DocumentParagraph> = split_plain_text(&text)
        .into_iter()
        .map(|p| {
            let mut para = DocumentParagraph {
                kind: ParagraphKind::for_level(p.heading_level),
                label: p.label,
                heading_level: p.heading_level,
                text: p.text,
            };
            if markdown && para.label.is_none() {
                markdown_block(&mut para);
            }
            match para.kind {
                ParagraphKind::Heading => counts.headings += 1,
                ParagraphKind::ListItem => counts.list_items += 1,
                _ => {}
            }
            para
        })
        .filter(|p| !p.text.is_empty())
        .collect();
    counts.paragraphs = paragraphs.len() as u64;
    Ok(DocxDocument {
        paragraphs,
        counts,
        tracked_changes: false,
        comments: Vec::new(),
    })
}

/// A Markdown heading ("## Scope") or bullet ("- item") line as such.
fn markdown_block(p: &mut DocumentParagraph) {
    let hashes = p.text.chars().take_while(|c| *c == '#').count();
    if (1..=6).contains(&hashes) && p.text[hashes..].starts_with(' ') {
        p.text = p.text[hashes..].trim().to_owned();
        p.heading_level = hashes as i64;
        p.kind = ParagraphKind::Heading;
    } else if let Some(rest) = p
        .text
        .strip_prefix("- ")
        .or_else(|| p.text.strip_prefix("* "))
    {
        p.text = rest.trim().to_owned();
        p.label = Some("•".into());
        p.heading_level = 0;
        p.kind = ParagraphKind::ListItem;
    }
}

/// Text from bytes: a byte-order mark decides, then UTF-8 if it is valid, else Windows-1252.
fn decode_text(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// The new version's details: what the input leaves at its default comes from the version it
/// replaces (kind, agency, confidence, author and independence); a missing title comes from
/// the old version or else the file name.
fn merge_input(mut input: SourceInput, old: Option<&Source>, name: &str) -> SourceInput {
    if let Some(old) = old {
        if input.title.trim().is_empty() {
            input.title = old.title.clone();
        }
        if input.kind == SourceKind::Other {
            input.kind = old.kind;
        }
        if input
            .agency_id
            .as_deref()
            .is_none_or(|a| a.trim().is_empty())
        {
            input.agency_id = old.agency_id.clone();
        }
        if input.confidence == Confidence::NotRated {
            input.confidence = old.confidence;
            if input.confidence_reason.trim().is_empty() {
                input.confidence_reason = old.confidence_reason.clone();
            }
        }
        if input.author.trim().is_empty() {
            input.author = old.author.clone();
        }
        if input.independence.trim().is_empty() {
            input.independence = old.independence.clone();
        }
    }
    if input.title.trim().is_empty() {
        let stem = Path::new(name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| name.to_owned());
        input.title = stem;
    }
    input
}

/// Where an excerpt goes in the new version.
struct Move {
    excerpt_id: String,
    /// Index into the new paragraphs.
    paragraph: usize,
    start: usize,
    end: usize,
    quote: String,
    old_quote: String,
    exact: bool,
    similarity: f64,
}

/// The excerpts of the old version: where each goes, or why it stays.
#[derive(Default)]
struct Plan {
    moves: Vec<Move>,
    unplaced: Vec<UnplacedExcerpt>,
}

impl Review {
    /// Imports a Word (.docx) or text (.txt, .md) file as a new source, in one undoable change.
    /// Other formats are refused with advice; files over 50 MB are refused before reading.
    /// With `supersedes`, the file is a new version of that source: the old one stays, and
    /// its excerpts move onto the new text (see the module notes). `progress` hears of each
    /// stage.
    pub fn import_document(
        &mut self,
        input: SourceInput,
        path: &Path,
        supersedes: Option<&str>,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<DocumentImport> {
        let format = detect_format(path)?;
        if matches!(format, FileFormat::Csv | FileFormat::Xlsx) {
            return Err(spreadsheet_refused(&file_name(path)));
        }
        let bytes = read_limited(path, MAX_FILE_BYTES)?;
        self.import_document_bytes(input, &file_name(path), &bytes, supersedes, progress)
    }

    /// [`Review::import_document`] for a file already in memory; `name` is its file name,
    /// which also decides its format.
    pub fn import_document_bytes(
        &mut self,
        input: SourceInput,
        name: &str,
        bytes: &[u8],
        supersedes: Option<&str>,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<DocumentImport> {
        const STAGES: u64 = 4;
        let mut stage = |text: String, done: u64| {
            progress(ImportProgress {
                stage: text,
                done,
                total: STAGES,
            })
        };
        let format = detect_format(Path::new(name))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(Error::BadDocument {
                name: name.to_owned(),
                reason: format!("it is larger than {} MB", MAX_FILE_BYTES / (1024 * 1024)),
            });
        }
        let old = supersedes.map(|id| self.source(id)).transpose()?;
        if let Some(old) = &old {
            if let Some(later) = &old.superseded_by_id {
                let later = self.source(later)?;
                return Err(Error::invalid(
                    "supersedes",
                    format!(
                        "\"{}\" is already replaced by a later version (\"{}\"); import the new \
                         version as replacing that one",
                        old.title, later.title
                    ),
                ));
            }
        }
        let input = validate_source(self.db(), &merge_input(input, old.as_ref(), name))?;

        stage(format!("Reading {name}"), 0);
        let doc = read_document(bytes, name, format)?;
        if doc.paragraphs.is_empty() {
            return Err(Error::BadDocument {
                name: name.to_owned(),
                reason: "it holds no text".into(),
            });
        }

        let plan = match &old {
            Some(old) => {
                stage(format!("Placing the excerpts of \"{}\"", old.title), 1);
                self.plan_reanchor(&old.id, &doc.paragraphs)?
            }
            None => Plan::default(),
        };

        self.snapshot("import")?;
        stage(format!("Saving {} paragraphs", doc.paragraphs.len()), 2);
        let sha = sha256_bytes_hex(bytes);
        let summary = match &old {
            Some(old) => format!("Import {} (replacing \"{}\")", input.title, old.title),
            None => format!("Import {}", input.title),
        };
        let supersedes_id = old.as_ref().map(|o| o.id.clone());
        let (source_id, paragraph_ids) =
            self.change_as(ChangeKind::Import, &summary, true, |c| {
                let id = insert_source(c, &input)?;
                c.execute(
                    "UPDATE source SET supersedes_id = ?2, file_name = ?3, file_sha256 = ?4
                     WHERE id = ?1",
                    params![id, supersedes_id, name, sha],
                )?;
                let ids = insert_paragraphs(c, &id, &doc.paragraphs)?;
                for m in &plan.moves {
                    c.track(Table::Excerpt, &m.excerpt_id)?;
                    c.execute(
                        "UPDATE excerpt SET source_id = ?2, paragraph_id = ?3, start = ?4,
                            end = ?5, quote = ?6, quote_hash = ?7
                         WHERE id = ?1",
                        params![
                            m.excerpt_id,
                            id,
                            ids[m.paragraph],
                            m.start as i64,
                            m.end as i64,
                            m.quote,
                            sha256_hex(&m.quote)
                        ],
                    )?;
                }
                Ok((id, ids))
            })?;

        let comments = doc
            .comments
            .into_iter()
            .map(|mut comment| {
                comment.paragraph_id = comment
                    .paragraph_seq
                    .and_then(|seq| usize::try_from(seq - 1).ok())
                    .and_then(|i| paragraph_ids.get(i).cloned());
                comment
            })
            .collect();
        let reanchored = plan
            .moves
            .into_iter()
            .map(|m| ReanchoredExcerpt {
                excerpt_id: m.excerpt_id,
                paragraph_id: paragraph_ids[m.paragraph].clone(),
                paragraph_seq: m.paragraph as i64 + 1,
                paragraph_label: doc.paragraphs[m.paragraph].label.clone(),
                old_quote: m.old_quote,
                quote: m.quote,
                exact: m.exact,
                similarity: m.similarity,
            })
            .collect();
        let result = DocumentImport {
            source: self.source(&source_id)?,
            format,
            counts: doc.counts,
            tracked_changes: doc.tracked_changes,
            comments,
            reanchored,
            unplaced: plan.unplaced,
        };
        stage("Imported".into(), STAGES);
        Ok(result)
    }

    /// Decides, without writing, where each excerpt of source `old_id` goes in `paragraphs`.
    fn plan_reanchor(&self, old_id: &str, paragraphs: &[DocumentParagraph]) -> Result<Plan> {
        let excerpts = self.excerpts_of_source(old_id)?;
        if excerpts.is_empty() {
            return Ok(Plan::default());
        }
        let old_count = self.source(old_id)?.paragraph_count.max(1);
        let index = TextIndex::new(paragraphs);
        let mut plan = Plan::default();
        for x in excerpts {
            let old_para = self.paragraph(&x.paragraph_id)?;
            let old = OldPlace {
                label: old_para.label.as_deref(),
                position: (old_para.seq - 1) as f64 / old_count as f64,
                start: x.start,
            };
            match place(&index, &x, &old) {
                Placement::Exact {
                    paragraph,
                    start,
                    end,
                } => plan.moves.push(Move {
                    excerpt_id: x.id.clone(),
                    paragraph,
                    start,
                    end,
                    quote: x.quote.clone(),
                    old_quote: x.quote,
                    exact: true,
                    similarity: 1.0,
                }),
                Placement::Close {
                    paragraph,
                    start,
                    end,
                    similarity,
                } if similarity >= REANCHOR_THRESHOLD => {
                    let quote = index.slice(paragraph, start, end).to_owned();
                    plan.moves.push(Move {
                        excerpt_id: x.id.clone(),
                        paragraph,
                        start,
                        end,
                        quote,
                        old_quote: x.quote,
                        exact: false,
                        similarity,
                    });
                }
                Placement::Close { similarity, .. } | Placement::Nowhere { similarity } => {
                    plan.unplaced.push(UnplacedExcerpt {
                        excerpt_id: x.id,
                        quote: x.quote,
                        paragraph_id: old_para.id,
                        paragraph_seq: old_para.seq,
                        paragraph_label: old_para.label,
                        best_similarity: similarity,
                    })
                }
            }
        }
        Ok(plan)
    }
}

/// Inserts a source's paragraphs, numbered from 1, with their kinds; returns their ids.
fn insert_paragraphs(
    c: &mut Change<'_>,
    source_id: &str,
    paragraphs: &[DocumentParagraph],
) -> Result<Vec<String>> {
    let ids: Vec<String> = paragraphs.iter().map(|_| c.new_id()).collect();
    for id in &ids {
        c.track(Table::Paragraph, id)?;
    }
    let mut stmt = c.prepare_cached(
        "INSERT INTO paragraph (id, source_id, seq, label, heading_level, text, kind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (i, (id, p)) in ids.iter().zip(paragraphs).enumerate() {
        let label = p.label.as_deref().map(str::trim).filter(|l| !l.is_empty());
        stmt.execute(params![
            id,
            source_id,
            i as i64 + 1,
            label,
            p.heading_level.clamp(0, 6),
            p.text.trim(),
            p.kind
        ])?;
    }
    Ok(ids)
}

// ---------------------------------------------------------------------------------------------
// Finding a quote in the new text
// ---------------------------------------------------------------------------------------------

/// A word of a text: lowercased, with its character span.
struct Word {
    text: String,
    start: usize,
    end: usize,
}

/// The words of `text` (runs of letters and digits), lowercased, with character spans.
fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    let mut count = 0;
    for (i, ch) in text.chars().enumerate() {
        if ch.is_alphanumeric() {
            if current.is_empty() {
                start = i;
            }
            current.extend(ch.to_lowercase());
        } else if !current.is_empty() {
            out.push(Word {
                text: std::mem::take(&mut current),
                start,
                end: i,
            });
        }
        count = i + 1;
    }
    if !current.is_empty() {
        out.push(Word {
            text: current,
            start,
            end: count,
        });
    }
    out
}

/// The new version's paragraphs with a word index, so a quote is looked for only in the
/// paragraphs that share its words.
struct TextIndex<'a> {
    paragraphs: &'a [DocumentParagraph],
    /// Word → the paragraphs holding it (ascending, no repeats).
    postings: HashMap<String, Vec<u32>>,
}

impl<'a> TextIndex<'a> {
    fn new(paragraphs: &'a [DocumentParagraph]) -> Self {
        let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, p) in paragraphs.iter().enumerate() {
            for w in words(&p.text) {
                let list = postings.entry(w.text).or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        TextIndex {
            paragraphs,
            postings,
        }
    }

    fn len(&self) -> usize {
        self.paragraphs.len()
    }

    /// Characters `start..end` of paragraph `i`.
    fn slice(&self, i: usize, start: usize, end: usize) -> &str {
        let text = &self.paragraphs[i].text;
        let mut bounds = text
            .char_indices()
            .map(|(b, _)| b)
            .chain([text.len()])
            .skip(start);
        let from = bounds.next().unwrap_or(text.len());
        let to = bounds
            .nth(end.saturating_sub(start + 1))
            .unwrap_or(text.len());
        &text[from..to.max(from)]
    }

    /// Where the paragraph sits in the document, from 0 (first) towards 1.
    fn position(&self, i: usize) -> f64 {
        i as f64 / self.len().max(1) as f64
    }
}

/// Where an excerpt was in the old version.
struct OldPlace<'a> {
    label: Option<&'a str>,
    /// From 0 (first paragraph) towards 1.
    position: f64,
    start: usize,
}

enum Placement {
    Exact {
        paragraph: usize,
        start: usize,
        end: usize,
    },
    Close {
        paragraph: usize,
        start: usize,
        end: usize,
        similarity: f64,
    },
    Nowhere {
        similarity: f64,
    },
}

/// Finds the best place for an excerpt's quote in the new text.
fn place(index: &TextIndex<'_>, x: &Excerpt, old: &OldPlace<'_>) -> Placement {
    if let Some(found) = place_exact(index, &x.quote, old) {
        return found;
    }
    if x.quote.chars().count() < MIN_FUZZY_CHARS {
        return Placement::Nowhere { similarity: 0.0 };
    }
    place_close(index, &x.quote, old)
}

/// The occurrence of `quote` word for word, preferring the paragraph with the old label, then
/// the one nearest the old place in the document, then the occurrence nearest the old offset.
fn place_exact(index: &TextIndex<'_>, quote: &str, old: &OldPlace<'_>) -> Option<Placement> {
    let qwords = words(quote);
    // Words at the quote's ends may be cut; those inside are whole and must all be there.
    let inner: Vec<&str> = if qwords.len() >= 3 {
        qwords[1..qwords.len() - 1]
            .iter()
            .map(|w| w.text.as_str())
            .collect()
    } else {
        Vec::new()
    };
    let candidates: Vec<usize> = if inner.is_empty() {
        (0..index.len()).collect()
    } else {
        let rarest = inner
            .iter()
            .map(|w| index.postings.get(*w).map(Vec::as_slice).unwrap_or(&[]))
            .min_by_key(|list| list.len())
            .unwrap_or(&[]);
        rarest.iter().map(|i| *i as usize).collect()
    };
    let quote_chars = quote.chars().count();
    let mut best: Option<((u8, f64, usize), usize, usize)> = None;
    for i in candidates {
        let text = &index.paragraphs[i].text;
        for (byte, _) in text.match_indices(quote) {
            let start = text[..byte].chars().count();
            let same_label =
                index.paragraphs[i].label.as_deref() == old.label && old.label.is_some();
            let key = (
                u8::from(!same_label),
                (index.position(i) - old.position).abs(),
                start.abs_diff(old.start),
            );
            if best.as_ref().is_none_or(|(k, _, _)| key_less(&key, k)) {
                best = Some((key, i, start));
            }
        }
    }
    best.map(|(_, paragraph, start)| Placement::Exact {
        paragraph,
        start,
        end: start + quote_chars,
    })
}

/// Orders (label differs, distance in the document, distance from the old offset).
fn key_less(a: &(u8, f64, usize), b: &(u8, f64, usize)) -> bool {
    a.0.cmp(&b.0)
        .then(a.1.total_cmp(&b.1))
        .then(a.2.cmp(&b.2))
        .is_lt()
}

/// The closest match of `quote` among the paragraphs that share the most (and rarest) words
/// with it, plus the paragraph in the old one's place.
fn place_close(index: &TextIndex<'_>, quote: &str, old: &OldPlace<'_>) -> Placement {
    let qwords = words(quote);
    let total = index.len().max(1) as f64;
    let mut scores: HashMap<usize, f64> = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for w in &qwords {
        if !seen.insert(w.text.as_str()) {
            continue;
        }
        if let Some(list) = index.postings.get(&w.text) {
            let weight = (total / list.len() as f64).ln() + 0.1;
            for i in list {
                *scores.entry(*i as usize).or_default() += weight;
            }
        }
    }
    let mut ranked: Vec<(usize, f64)> = scores.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut candidates: Vec<usize> = ranked
        .into_iter()
        .take(FUZZY_CANDIDATES)
        .map(|(i, _)| i)
        .collect();
    if index.len() > 0 {
        let same_place = ((old.position * total).round() as usize).min(index.len() - 1);
        if !candidates.contains(&same_place) {
            candidates.push(same_place);
        }
    }
    if let Some(label) = old.label {
        if let Some(i) = index
            .paragraphs
            .iter()
            .position(|p| p.label.as_deref() == Some(label))
        {
            if !candidates.contains(&i) {
                candidates.push(i);
            }
        }
    }
    let mut best = Placement::Nowhere { similarity: 0.0 };
    let mut best_sim = -1.0;
    for i in candidates {
        if let Some((similarity, start, end)) =
            best_window(quote, &qwords, &index.paragraphs[i].text)
        {
            if similarity > best_sim {
                best_sim = similarity;
                best = Placement::Close {
                    paragraph: i,
                    start,
                    end,
                    similarity,
                };
            }
        }
    }
    best
}

/// The stretch of `text` most like `quote`: windows of about as many words as the quote,
/// ranked by shared words, the best few compared closely. Returns (similarity, start, end)
/// in characters.
fn best_window(quote: &str, qwords: &[Word], text: &str) -> Option<(f64, usize, usize)> {
    let twords = words(text);
    if twords.is_empty() {
        return None;
    }
    let qset: std::collections::HashSet<&str> = qwords.iter().map(|w| w.text.as_str()).collect();
    let n = qwords.len().max(1);
    let mut windows: Vec<(usize, usize)> = Vec::new();
    for size in [n.saturating_sub(1).max(1), n, n + 1] {
        if size > twords.len() {
            continue;
        }
        let hit = |w: &Word| usize::from(qset.contains(w.text.as_str()));
        let mut sum: usize = twords[..size].iter().map(hit).sum();
        let mut ranked = vec![(sum, 0usize)];
        for s in 1..=twords.len() - size {
            sum = sum + hit(&twords[s + size - 1]) - hit(&twords[s - 1]);
            ranked.push((sum, s));
        }
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, s) in ranked.into_iter().take(3) {
            windows.push((twords[s].start, twords[s + size - 1].end));
        }
    }
    if twords.len() < n {
        windows.push((twords[0].start, twords[twords.len() - 1].end));
    }
    let chars: Vec<char> = text.chars().collect();
    let mut best: Option<(f64, usize, usize)> = None;
    for (start, end) in windows {
        let mut end = end;
        // Keep closing punctuation the quote also ends with.
        if let (Some(q), Some(t)) = (quote.chars().last(), chars.get(end)) {
            if !q.is_alphanumeric() && q == *t {
                end += 1;
            }
        }
        let candidate: String = chars[start..end].iter().collect();
        let sim = similarity(quote, &candidate);
        if best.is_none_or(|(b, _, _)| sim > b) {
            best = Some((sim, start, end));
        }
    }
    best
}

/// How alike two texts are, 0 to 1: normalized Levenshtein over characters, or over words
/// when both are long.
fn similarity(a: &str, b: &str) -> f64 {
    if a.len() + b.len() <= CHAR_COMPARE_LIMIT {
        return strsim::normalized_levenshtein(a, b);
    }
    let wa: Vec<String> = words(a).into_iter().map(|w| w.text).collect();
    let wb: Vec<String> = words(b).into_iter().map(|w| w.text).collect();
    let longest = wa.len().max(wb.len());
    if longest == 0 {
        return 1.0;
    }
    1.0 - strsim::generic_levenshtein(&wa, &wb) as f64 / longest as f64
}
