//! Finding a quoted span of text again after the text around it was edited: the W3C Web
//! Annotation text-quote selector (the exact words, with a little of what came before and
//! after) plus a position hint.
//!
//! The rule is strict: a span is found only where its exact words still stand. Among several
//! places with those words, the one whose surrounding text matches the prefix and suffix best
//! wins, then the one nearest the hint, then the first. When the exact words are gone the
//! anchor is orphaned; it is never moved onto different words.
//!
//! Offsets are counted in characters (Unicode scalar values), not bytes.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::comments::TextAnchor;

/// How much text before and after a quote an anchor keeps, in characters.
pub const CONTEXT_CHARS: usize = 32;

/// Where an anchor's words are in a text now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum AnchorPlace {
    /// The exact words stand at `start..end` (character offsets, end exclusive).
    Located {
        #[ts(type = "number")]
        start: usize,
        #[ts(type = "number")]
        end: usize,
    },
    /// The exact words are no longer in the text.
    Orphaned,
}

/// Finds `anchor` in `text`. See the module documentation for the rule.
pub fn locate(anchor: &TextAnchor, text: &str) -> AnchorPlace {
    let exact = anchor.exact.as_str();
    if exact.is_empty() {
        return AnchorPlace::Orphaned;
    }
    // (score, distance from the hint, character start)
    let mut best: Option<(usize, usize, usize)> = None;
    // Character offsets are counted on from the previous place, not from the start each time.
    let (mut seen_bytes, mut seen_chars) = (0, 0);
    for start in occurrences(text, exact) {
        seen_chars += text[seen_bytes..start].chars().count();
        seen_bytes = start;
        let end = start + exact.len();
        let score = common_suffix_chars(&text[..start], &anchor.prefix)
            + common_prefix_chars(&text[end..], &anchor.suffix);
        let distance = anchor.hint.map_or(0, |hint| seen_chars.abs_diff(hint));
        // Higher score first, then nearer the hint; the first found wins a full tie.
        let better = match best {
            None => true,
            Some((s, d, _)) => score > s || (score == s && distance < d),
        };
        if better {
            best = Some((score, distance, seen_chars));
        }
    }
    match best {
        None => AnchorPlace::Orphaned,
        Some((_, _, start)) => AnchorPlace::Located {
            start,
            end: start + exact.chars().count(),
        },
    }
}

/// The anchor for the span `start..end` (character offsets) of `text`, with its context and
/// a hint at `start`.
pub fn anchor_span(text: &str, start: usize, end: usize) -> Result<TextAnchor> {
    let total = text.chars().count();
    if start >= end || end > total {
        return Err(Error::invalid(
            "anchor",
            format!("the span {start}..{end} is not inside a text of {total} characters"),
        ));
    }
    let chars: Vec<char> = text.chars().collect();
    let exact: String = chars[start..end].iter().collect();
    if exact.trim().is_empty() {
        return Err(Error::invalid("anchor", "the quoted span has no words"));
    }
    let prefix: String = chars[start.saturating_sub(CONTEXT_CHARS)..start]
        .iter()
        .collect();
    let suffix: String = chars[end..(end + CONTEXT_CHARS).min(total)]
        .iter()
        .collect();
    Ok(TextAnchor {
        exact,
        prefix,
        suffix,
        hint: Some(start),
    })
}

/// The anchor for the one place `quote` appears in `text`. Refuses a quote that is not there,
/// or that is there more than once (a longer quote then says which place is meant).
pub fn anchor_quote(text: &str, quote: &str) -> Result<TextAnchor> {
    if quote.trim().is_empty() {
        return Err(Error::invalid("quote", "the quote has no words"));
    }
    let places = occurrences(text, quote);
    let Some(&first) = places.first() else {
        return Err(Error::invalid("quote", "these words are not in the text"));
    };
    if places.len() > 1 {
        return Err(Error::invalid(
            "quote",
            format!(
                "these words appear {} times in the text; quote more of them",
                places.len()
            ),
        ));
    }
    let start = char_offset(text, first);
    anchor_span(text, start, start + quote.chars().count())
}

/// The byte offsets of every place `needle` starts in `text`, overlapping ones included
/// ("aa" is at 0 and 1 in "aaa").
fn occurrences(text: &str, needle: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(needle) {
        let start = from + i;
        found.push(start);
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    found
}

/// The character offset of byte offset `byte` (a char boundary) of `text`.
fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

/// How many characters at the end of `a` and of `b` are the same.
fn common_suffix_chars(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// How many characters at the start of `a` and of `b` are the same.
fn common_prefix_chars(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}
