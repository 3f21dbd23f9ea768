//! What changed between two drafts, or a draft and now: every section matched by id, with a
//! word-level diff of its text (the `similar` crate), and the findings, recommendations and
//! terms of reference added, removed or changed, naming each changed field with its old and
//! new value.
//!
//! Section text is compared as a reader sees it: citation tokens (`[[finding:…]]`) are shown
//! as the numbers they carry on that side ("[F3]"), not as record ids.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use similar::Algorithm;

use super::{DraftContent, DraftRef};
use crate::error::Result;
use crate::model::sections::{citations, CitationKind, Document, Section};
use crate::model::text_enum;
use crate::review::Review;

text_enum! {
    /// How a section or record differs between the two sides.
    ChangeStatus {
        Added = "added", Removed = "removed", Changed = "changed",
        Renumbered = "renumbered", Unchanged = "unchanged",
    }
}

text_enum! {
    /// A piece of a word-level diff: text on both sides, only on the newer, or only on the
    /// older.
    SegmentKind { Equal = "equal", Insert = "insert", Delete = "delete" }
}

/// One run of text in a word-level diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Segment {
    pub kind: SegmentKind,
    pub text: String,
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DiffSide {
    /// "Draft 2", or "Current" for the review as it is now.
    pub label: String,
    /// The draft's number; `None` for the review as it is now.
    pub number: Option<i64>,
    pub issued_at: Option<String>,
}

/// One section compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SectionDiff {
    /// The section's id.
    pub id: String,
    /// The document it is in on the newer side (the older side for a removed section).
    pub document: Document,
    pub status: ChangeStatus,
    /// The heading on the newer side (the older side for a removed section).
    pub heading: String,
    /// The older heading, when it was renamed.
    pub old_heading: Option<String>,
    /// True when it moved to another document or to another place among the sections both
    /// sides have.
    pub moved: bool,
    /// The body, word by word: equal, inserted and deleted runs, in order.
    pub segments: Vec<Segment>,
}

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct FieldChange {
    /// The field's name as a person reads it: "statement", "theme", "due".
    pub field: String,
    pub old: String,
    pub new: String,
}

/// One finding, recommendation or term of reference that was added, removed, changed or only
/// renumbered. Records the same on both sides are not listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct RecordDiff {
    pub id: String,
    pub status: ChangeStatus,
    /// Its number on the newer side ("F3", "R12", "ToR 4"); the older side when removed.
    pub label: String,
    /// Its number on the older side, when it differs.
    pub old_label: Option<String>,
    /// Its main text (statement, recommendation, item), newer side first.
    pub text: String,
    /// The fields whose values differ (empty for added, removed and renumbered records).
    pub fields: Vec<FieldChange>,
}

/// Everything that differs between two sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct DraftDiff {
    pub from: DiffSide,
    pub to: DiffSide,
    /// The review's title on the newer side.
    pub title: String,
    /// Every section of either side, in the newer side's order, removed ones where they were.
    pub sections: Vec<SectionDiff>,
    pub findings: Vec<RecordDiff>,
    pub recommendations: Vec<RecordDiff>,
    pub tor: Vec<RecordDiff>,
}

impl DraftDiff {
    /// True when nothing differs.
    pub fn is_empty(&self) -> bool {
        self.sections
            .iter()
            .all(|s| s.status == ChangeStatus::Unchanged && !s.moved)
            && self.findings.is_empty()
            && self.recommendations.is_empty()
            && self.tor.is_empty()
    }
}

impl Review {
    /// What changed from one side to the other: two issued drafts, or a draft and the review
    /// as it is now.
    pub fn diff(&self, from: &DraftRef, to: &DraftRef) -> Result<DraftDiff> {
        let (from_side, old) = self.content_of(from)?;
        let (to_side, new) = self.content_of(to)?;
        Ok(compare(from_side, &old, to_side, &new))
    }
}

/// Compares two contents.
pub(crate) fn compare(
    from: super::DiffSide,
    old: &DraftContent,
    to: super::DiffSide,
    new: &DraftContent,
) -> DraftDiff {
    DraftDiff {
        from,
        to,
        title: new.title.clone(),
        sections: sections(old, new),
        findings: records(&finding_views(old), &finding_views(new)),
        recommendations: records(&recommendation_views(old), &recommendation_views(new)),
        tor: records(&tor_views(old), &tor_views(new)),
    }
}

/// Splits text into words (letters and digits, with apostrophes and hyphens inside a word),
/// runs of white space, and single other characters, so punctuation is its own token.
fn tokens(text: &str) -> Vec<&str> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Word,
        Space,
        Other,
    }
    let class = |c: char| {
        if c.is_alphanumeric() {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Other
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<Class> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let mut k = class(c);
        // "didn't", "multi-agency": joiners between two word characters stay in the word.
        if matches!(c, '\'' | '\u{2019}' | '-')
            && prev == Some(Class::Word)
            && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric())
        {
            k = Class::Word;
        }
        let joins = matches!(
            (prev, k),
            (Some(Class::Word), Class::Word) | (Some(Class::Space), Class::Space)
        );
        if !joins && i > start {
            out.push(&text[start..i]);
            start = i;
        }
        prev = Some(k);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Word-level diff of two texts. Each run of changes is given as its deleted text then its
/// inserted text; white space alone between two changes is taken into both, so a rewritten
/// phrase reads as one deletion and one insertion rather than word-by-word confetti.
pub fn word_diff(old: &str, new: &str) -> Vec<Segment> {
    let a = tokens(old);
    let b = tokens(new);
    let mut raw: Vec<(SegmentKind, String)> = Vec::new();
    let mut push = |kind: SegmentKind, text: &str| match raw.last_mut() {
        Some((k, t)) if *k == kind => t.push_str(text),
        _ => raw.push((kind, text.to_owned())),
    };
    for op in similar::capture_diff_slices(Algorithm::Patience, &a, &b) {
        for (tag, range) in [
            (SegmentKind::Delete, op.old_range()),
            (SegmentKind::Insert, op.new_range()),
        ] {
            let equal = matches!(op, similar::DiffOp::Equal { .. });
            if equal && tag == SegmentKind::Insert {
                continue;
            }
            let kind = if equal { SegmentKind::Equal } else { tag };
            let words = if tag == SegmentKind::Delete { &a } else { &b };
            for w in &words[range] {
                push(kind, w);
            }
        }
    }
    let mut out: Vec<Segment> = Vec::new();
    let (mut del, mut ins) = (String::new(), String::new());
    let flush = |out: &mut Vec<Segment>, del: &mut String, ins: &mut String| {
        for (kind, text) in [(SegmentKind::Delete, del), (SegmentKind::Insert, ins)] {
            if !text.is_empty() {
                out.push(Segment {
                    kind,
                    text: std::mem::take(text),
                });
            }
        }
    };
    let last = raw.len().saturating_sub(1);
    for (i, (kind, text)) in raw.iter().enumerate() {
        match kind {
            SegmentKind::Delete => del.push_str(text),
            SegmentKind::Insert => ins.push_str(text),
            SegmentKind::Equal => {
                let between =
                    text.trim().is_empty() && !(del.is_empty() && ins.is_empty()) && i < last;
                if between {
                    del.push_str(text);
                    ins.push_str(text);
                } else {
                    flush(&mut out, &mut del, &mut ins);
                    out.push(Segment {
                        kind: SegmentKind::Equal,
                        text: text.clone(),
                    });
                }
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

/// A section's body as a reader sees it: citations as the numbers they carry on this side.
fn readable(body: &str, content: &DraftContent) -> String {
    let number = |kind: CitationKind, id: &str| -> Option<String> {
        match kind {
            CitationKind::Finding => content
                .findings
                .iter()
                .find(|f| f.id == id)
                .map(|f| format!("F{}", f.number)),
            CitationKind::Recommendation => content
                .recommendations
                .iter()
                .find(|r| r.id == id)
                .map(|r| format!("R{}", r.number)),
            CitationKind::Tor => content
                .tor
                .iter()
                .find(|t| t.id == id)
                .map(|t| format!("ToR {}", t.number)),
            _ => None,
        }
    };
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for c in citations(body) {
        out.push_str(&body[at..c.start]);
        let shown =
            number(c.kind, &c.id).unwrap_or_else(|| crate::report::kind_name(c.kind).to_owned());
        out.push('[');
        out.push_str(&shown);
        out.push(']');
        at = c.end;
    }
    out.push_str(&body[at..]);
    out
}

fn sections(old: &DraftContent, new: &DraftContent) -> Vec<SectionDiff> {
    let old_by_id: HashMap<&str, &Section> =
        old.sections.iter().map(|s| (s.id.as_str(), s)).collect();
    let new_ids: HashSet<&str> = new.sections.iter().map(|s| s.id.as_str()).collect();
    // A section moved when it changed document or is out of the longest run of sections
    // both sides keep in the same order.
    let key = |s: &Section| (s.document, s.id.clone());
    let old_common: Vec<(Document, String)> = old
        .sections
        .iter()
        .filter(|s| new_ids.contains(s.id.as_str()))
        .map(key)
        .collect();
    let new_common: Vec<(Document, String)> = new
        .sections
        .iter()
        .filter(|s| old_by_id.contains_key(s.id.as_str()))
        .map(key)
        .collect();
    let mut in_place: HashSet<String> = HashSet::new();
    for op in similar::capture_diff_slices(Algorithm::Myers, &old_common, &new_common) {
        if let similar::DiffOp::Equal { new_index, len, .. } = op {
            for (_, id) in &new_common[new_index..new_index + len] {
                in_place.insert(id.clone());
            }
        }
    }

    let mut out: Vec<SectionDiff> = Vec::new();
    for s in &new.sections {
        let body = readable(&s.body, new);
        let diff = match old_by_id.get(s.id.as_str()) {
            None => SectionDiff {
                id: s.id.clone(),
                document: s.document,
                status: ChangeStatus::Added,
                heading: s.heading.clone(),
                old_heading: None,
                moved: false,
                segments: whole(SegmentKind::Insert, body),
            },
            Some(o) => {
                let old_body = readable(&o.body, old);
                let renamed = o.heading != s.heading;
                let status = if renamed || old_body != body {
                    ChangeStatus::Changed
                } else {
                    ChangeStatus::Unchanged
                };
                SectionDiff {
                    id: s.id.clone(),
                    document: s.document,
                    status,
                    heading: s.heading.clone(),
                    old_heading: renamed.then(|| o.heading.clone()),
                    moved: !in_place.contains(&s.id),
                    segments: word_diff(&old_body, &body),
                }
            }
        };
        out.push(diff);
    }
    // Removed sections go after the nearest earlier section of the older side that is still
    // there, or first in their document.
    for (i, s) in old.sections.iter().enumerate() {
        if new_ids.contains(s.id.as_str()) {
            continue;
        }
        let removed = SectionDiff {
            id: s.id.clone(),
            document: s.document,
            status: ChangeStatus::Removed,
            heading: s.heading.clone(),
            old_heading: None,
            moved: false,
            segments: whole(SegmentKind::Delete, readable(&s.body, old)),
        };
        let before = old.sections[..i]
            .iter()
            .rev()
            .filter(|p| p.document == s.document)
            .find_map(|p| out.iter().position(|d| d.id == p.id));
        let at = match before {
            Some(p) => {
                // Past any removed sections already placed after that one.
                let mut at = p + 1;
                while at < out.len() && out[at].status == ChangeStatus::Removed {
                    at += 1;
                }
                at
            }
            None => out
                .iter()
                .position(|d| d.document == s.document)
                .unwrap_or_else(|| match s.document {
                    Document::Overview => out
                        .iter()
                        .position(|d| d.document == Document::Summary)
                        .unwrap_or(out.len()),
                    Document::Summary => out.len(),
                }),
        };
        out.insert(at, removed);
    }
    out
}

fn whole(kind: SegmentKind, text: String) -> Vec<Segment> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Segment { kind, text }]
    }
}

/// A record as compared: id, label, main text, and its fields as shown.
struct View {
    id: String,
    label: String,
    text: String,
    fields: Vec<(&'static str, String)>,
}

fn records(old: &[View], new: &[View]) -> Vec<RecordDiff> {
    let old_by_id: HashMap<&str, &View> = old.iter().map(|v| (v.id.as_str(), v)).collect();
    let new_ids: HashSet<&str> = new.iter().map(|v| v.id.as_str()).collect();
    let mut out = Vec::new();
    for v in new {
        match old_by_id.get(v.id.as_str()) {
            None => out.push(RecordDiff {
                id: v.id.clone(),
                status: ChangeStatus::Added,
                label: v.label.clone(),
                old_label: None,
                text: v.text.clone(),
                fields: Vec::new(),
            }),
            Some(o) => {
                let fields: Vec<FieldChange> = v
                    .fields
                    .iter()
                    .filter_map(|(name, value)| {
                        let before = o
                            .fields
                            .iter()
                            .find(|(n, _)| n == name)
                            .map(|(_, v)| v.as_str())
                            .unwrap_or("");
                        (before != value).then(|| FieldChange {
                            field: (*name).to_owned(),
                            old: before.to_owned(),
                            new: value.clone(),
                        })
                    })
                    .collect();
                let renumbered = o.label != v.label;
                if fields.is_empty() && !renumbered {
                    continue;
                }
                out.push(RecordDiff {
                    id: v.id.clone(),
                    status: if fields.is_empty() {
                        ChangeStatus::Renumbered
                    } else {
                        ChangeStatus::Changed
                    },
                    label: v.label.clone(),
                    old_label: renumbered.then(|| o.label.clone()),
                    text: v.text.clone(),
                    fields,
                });
            }
        }
    }
    for o in old {
        if !new_ids.contains(o.id.as_str()) {
            out.push(RecordDiff {
                id: o.id.clone(),
                status: ChangeStatus::Removed,
                label: o.label.clone(),
                old_label: None,
                text: o.text.clone(),
                fields: Vec::new(),
            });
        }
    }
    out
}

fn or_none(text: &str) -> String {
    if text.trim().is_empty() {
        "(none)".into()
    } else {
        text.to_owned()
    }
}

fn finding_views(c: &DraftContent) -> Vec<View> {
    let theme = |id: &Option<String>| {
        id.as_ref()
            .and_then(|id| c.themes.iter().find(|t| &t.id == id))
            .map(|t| t.title.clone())
            .unwrap_or_else(|| "(no theme)".into())
    };
    let tor = |ids: &[String]| {
        let labels: Vec<String> = ids
            .iter()
            .map(|id| {
                c.tor
                    .iter()
                    .find(|t| &t.id == id)
                    .map(|t| format!("ToR {}", t.number))
                    .unwrap_or_else(|| "(deleted)".into())
            })
            .collect();
        or_none(&labels.join(", "))
    };
    c.findings
        .iter()
        .map(|f| View {
            id: f.id.clone(),
            label: format!("F{}", f.number),
            text: f.statement.clone(),
            fields: vec![
                ("statement", f.statement.clone()),
                ("analysis", f.analysis.clone()),
                ("kind", f.kind.as_str().replace('_', " ")),
                ("theme", theme(&f.theme_id)),
                ("terms of reference", tor(&f.tor_ids)),
                ("evidence links", f.evidence_count.to_string()),
            ],
        })
        .collect()
}

fn recommendation_views(c: &DraftContent) -> Vec<View> {
    let agency = |id: &Option<String>| {
        id.as_ref()
            .map(|id| {
                c.agencies
                    .iter()
                    .find(|a| &a.id == id)
                    .map(|a| a.name.clone())
                    .unwrap_or_else(|| "(deleted agency)".into())
            })
            .unwrap_or_else(|| "(none)".into())
    };
    let findings = |ids: &[String]| {
        let labels: Vec<String> = ids
            .iter()
            .map(|id| {
                c.findings
                    .iter()
                    .find(|f| &f.id == id)
                    .map(|f| format!("F{}", f.number))
                    .unwrap_or_else(|| "(deleted)".into())
            })
            .collect();
        or_none(&labels.join(", "))
    };
    c.recommendations
        .iter()
        .map(|r| {
            let actions: Vec<String> = r
                .actions
                .iter()
                .map(|a| {
                    let lead = if a.lead.trim().is_empty() {
                        String::new()
                    } else {
                        format!(", lead {}", a.lead.trim())
                    };
                    format!("{} ({}{lead})", a.text, a.status.as_str().replace('_', " "))
                })
                .collect();
            View {
                id: r.id.clone(),
                label: format!("R{}", r.number),
                text: r.text.clone(),
                fields: vec![
                    ("text", r.text.clone()),
                    ("origin", r.origin.as_str().replace('_', " ")),
                    ("origin agency", agency(&r.origin_agency_id)),
                    ("addressee", agency(&r.addressee_agency_id)),
                    ("owner", or_none(&r.owner_role)),
                    ("due", r.due.to_string()),
                    ("measure", or_none(&r.measure)),
                    ("board response", r.board_response.as_str().to_owned()),
                    ("response reason", or_none(&r.response_reason)),
                    ("findings", findings(&r.finding_ids)),
                    ("actions", or_none(&actions.join("; "))),
                ],
            }
        })
        .collect()
}

fn tor_views(c: &DraftContent) -> Vec<View> {
    c.tor
        .iter()
        .map(|t| View {
            id: t.id.clone(),
            label: format!("ToR {}", t.number),
            text: t.text.clone(),
            fields: vec![
                ("text", t.text.clone()),
                ("kind", t.kind.as_str().replace('_', " ")),
                (
                    "out of scope",
                    t.out_of_scope_reason
                        .clone()
                        .unwrap_or_else(|| "(in scope)".into()),
                ),
            ],
        })
        .collect()
}
