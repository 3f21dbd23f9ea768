//! Suggestions for the register: capitalised words and pairs of words that recur in the
//! imported sources but are in neither the register nor a list of common words, so the author
//! can add them (or dismiss them, which is remembered).
//!
//! A word counts only where it does not merely start a sentence, so "Following the visit…"
//! suggests nothing. The same reading of text finds unregistered names in report sections for
//! the checks.

use std::collections::{BTreeMap, HashSet};

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{fold, Pseudonymiser};
use crate::error::{Error, Result};
use crate::review::Review;

/// A name that recurs in the sources and is not in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct NameSuggestion {
    /// The words as first written ("Donna Hollis", "Oakfield").
    pub name: String,
    /// How many times it occurs.
    pub count: u32,
    /// A little of the text around its first occurrence.
    pub sample: String,
    /// Where that is, for click-through.
    pub source_id: String,
    pub paragraph_id: String,
}

/// Words that are capitalised for reasons other than naming someone: function words that
/// start sentences, titles, months and days, and the words agencies and reviews are made of.
const COMMON: &[&str] = &[
    // Function words and common sentence openers.
    "a",
    "about",
    "after",
    "again",
    "all",
    "also",
    "although",
    "an",
    "and",
    "any",
    "as",
    "at",
    "because",
    "before",
    "both",
    "but",
    "by",
    "during",
    "each",
    "either",
    "even",
    "every",
    "for",
    "following",
    "from",
    "further",
    "had",
    "he",
    "her",
    "here",
    "his",
    "however",
    "i",
    "if",
    "in",
    "into",
    "it",
    "its",
    "no",
    "none",
    "not",
    "of",
    "on",
    "one",
    "only",
    "or",
    "other",
    "our",
    "over",
    "she",
    "since",
    "so",
    "some",
    "such",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "to",
    "two",
    "under",
    "until",
    "upon",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whose",
    "why",
    "with",
    "within",
    "without",
    "yes",
    "you",
    "first",
    "second",
    "third",
    "finally",
    "overall",
    "further",
    "therefore",
    "thus",
    "while",
    "whilst",
    // Titles and roles.
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lady",
    "lord",
    "rev",
    "mum",
    "dad",
    "mother",
    "father",
    "chair",
    "director",
    "manager",
    "officer",
    "strategic",
    "independent",
    "author",
    "reviewer",
    "detective",
    "sergeant",
    "constable",
    "inspector",
    "nurse",
    "doctor",
    "consultant",
    "worker",
    "visitor",
    "midwife",
    // Months and days.
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "christmas",
    "easter",
    // Agencies, services and the words of a review.
    "police",
    "council",
    "county",
    "borough",
    "city",
    "metropolitan",
    "service",
    "services",
    "children",
    "childrens",
    "children's",
    "young",
    "people",
    "peoples",
    "people's",
    "adult",
    "adults",
    "social",
    "care",
    "health",
    "healthcare",
    "hospital",
    "hospitals",
    "school",
    "schools",
    "college",
    "academy",
    "university",
    "court",
    "courts",
    "team",
    "teams",
    "board",
    "partnership",
    "safeguarding",
    "review",
    "reviews",
    "panel",
    "serious",
    "case",
    "local",
    "authority",
    "nhs",
    "trust",
    "foundation",
    "department",
    "unit",
    "centre",
    "center",
    "project",
    "agency",
    "agencies",
    "practice",
    "primary",
    "secondary",
    "general",
    "emergency",
    "accident",
    "ambulance",
    "probation",
    "prison",
    "housing",
    "education",
    "youth",
    "offending",
    "targeted",
    "support",
    "early",
    "help",
    "family",
    "families",
    "community",
    "mental",
    "clinical",
    "commissioning",
    "group",
    "national",
    "government",
    "home",
    "office",
    "department",
    "section",
    "chapter",
    "regulation",
    "working",
    "together",
    "guidance",
    "act",
    "plan",
    "protection",
    "child",
    "infant",
    "sibling",
    "subject",
    "conference",
    "strategy",
    "meeting",
    "meetings",
    "report",
    "reports",
    "summary",
    "executive",
    "overview",
    "management",
    "individual",
    "imr",
    "imrs",
    "lscb",
    "lsab",
    "scr",
    "terms",
    "reference",
    "recommendation",
    "recommendations",
    "finding",
    "findings",
    "key",
    "issues",
    "issue",
    "themes",
    "theme",
    "good",
    "lessons",
    "learned",
    "learning",
    "action",
    "appendix",
    "introduction",
    "background",
    "conclusion",
    "conclusions",
    "contents",
    "page",
    "north",
    "south",
    "east",
    "west",
    "yorkshire",
    "england",
    "wales",
    "scotland",
    "britain",
    "united",
    "kingdom",
    "uk",
    "gp",
    "gps",
    "a&e",
    "camhs",
    "cse",
    "cami",
];

/// One capitalised word (or pair) found in text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Candidate {
    pub name: String,
    pub start: usize,
    pub end: usize,
    /// True when it only starts a sentence (a single word after a full stop or at the start).
    pub initial: bool,
}

/// True for a common word, or one of the words the review's agencies and panel are named by
/// (`known`, lower case): those are named in published reports anyway.
fn is_common(word: &str, known: &HashSet<String>) -> bool {
    let w = word.to_lowercase();
    let w = w.trim_end_matches("'s").trim_end_matches("’s");
    COMMON.contains(&w) || known.contains(w)
}

/// A word that looks like a name: a capital, then at least one lower-case letter.
fn capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

/// The capitalised words and pairs of `text` that are not registered (names `p` knows, in any
/// role, are skipped) and not common (see [`is_common`]).
pub(crate) fn candidates(text: &str, p: &Pseudonymiser, known: &HashSet<String>) -> Vec<Candidate> {
    let registered: Vec<(usize, usize)> = p.find(text).iter().map(|f| (f.start, f.end)).collect();
    // Words: runs of letters and digits, with inner apostrophes and hyphens.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let inner = matches!(c, '\'' | '’' | '-')
            && start.is_some()
            && chars.get(k + 1).is_some_and(|(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || inner {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            words.push((s, i));
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    let mut out = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let (s, e) = words[k];
        let word = &text[s..e];
        let masked = registered.iter().any(|(a, b)| s < *b && e > *a);
        if masked || !capitalised(word) {
            k += 1;
            continue;
        }
        // What comes before: the start, or a sentence end, means the capital may be grammar.
        let before = text[..s]
            .trim_end_matches(|c: char| c.is_whitespace() || "\"'“‘([".contains(c))
            .chars()
            .next_back();
        let after_title = k > 0 && {
            let (ps, pe) = words[k - 1];
            let prev = text[ps..pe].to_lowercase();
            ["mr", "mrs", "ms", "miss", "mx", "dr"].contains(&prev.as_str())
        };
        let initial = !after_title
            && (before.is_none()
                || before.is_some_and(|c| ".!?:;•–—-".contains(c) || c.is_ascii_digit()));
        // A pair: the next word follows after one space and is capitalised too.
        if let Some(&(ns, ne)) = words.get(k + 1) {
            let next = &text[ns..ne];
            let joined_by_space = &text[e..ns] == " ";
            let next_masked = registered.iter().any(|(a, b)| ns < *b && ne > *a);
            if joined_by_space
                && !next_masked
                && capitalised(next)
                && !(is_common(word, known) && is_common(next, known))
                && !COMMON.contains(&word.to_lowercase().as_str())
            {
                out.push(Candidate {
                    name: text[s..ne].to_owned(),
                    start: s,
                    end: ne,
                    initial: false,
                });
                k += 2;
                continue;
            }
        }
        if !is_common(word, known) {
            let name = word
                .trim_end_matches("'s")
                .trim_end_matches("’s")
                .to_owned();
            out.push(Candidate {
                end: s + name.len(),
                name,
                start: s,
                initial,
            });
        }
        k += 1;
    }
    out
}

/// A little text either side of `start..end`.
fn snippet(text: &str, start: usize, end: usize) -> String {
    let before: Vec<char> = text[..start].chars().collect();
    let from = before.len().saturating_sub(50);
    let lead: String = before[from..].iter().collect();
    let tail: String = text[end..].chars().take(50).collect();
    format!(
        "{}{lead}{}{tail}{}",
        if from > 0 { "…" } else { "" },
        &text[start..end],
        if text[end..].chars().count() > 50 {
            "…"
        } else {
            ""
        }
    )
}

/// One name as tallied.
struct Seen {
    shown: String,
    count: u32,
    /// True once it has been seen where it does not merely start a sentence.
    named: bool,
    source_id: String,
    paragraph_id: String,
    sample: String,
}

/// Tallies candidates: count, whether any use is not sentence-initial, first place.
#[derive(Default)]
pub(crate) struct NameTally {
    /// By folded name.
    names: BTreeMap<String, Seen>,
}

impl NameTally {
    pub(crate) fn add(&mut self, text: &str, found: &[Candidate], source: &str, place: &str) {
        for c in found {
            let e = self.names.entry(fold(&c.name)).or_insert_with(|| Seen {
                shown: c.name.clone(),
                count: 0,
                named: false,
                source_id: source.to_owned(),
                paragraph_id: place.to_owned(),
                sample: snippet(text, c.start, c.end),
            });
            e.count += 1;
            e.named |= !c.initial;
        }
    }

    /// Names seen at least `min` times and not only at the start of sentences, by count.
    pub(crate) fn recurring(self, min: u32, dismissed: &HashSet<String>) -> Vec<NameSuggestion> {
        let mut out: Vec<NameSuggestion> = self
            .names
            .into_iter()
            .filter(|(key, v)| v.count >= min && v.named && !dismissed.contains(key))
            .map(|(_, v)| NameSuggestion {
                name: v.shown,
                count: v.count,
                sample: v.sample,
                source_id: v.source_id,
                paragraph_id: v.paragraph_id,
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
        out
    }
}

impl Review {
    /// The words of the agencies' names and the panel's names and organisations, lower case.
    pub(crate) fn known_words(&self) -> Result<HashSet<String>> {
        let mut texts: Vec<String> = Vec::new();
        for a in self.agencies()? {
            texts.push(a.name);
            texts.push(a.short_name);
        }
        for m in self.panel_members()? {
            texts.push(m.name);
            texts.push(m.organisation);
        }
        Ok(texts
            .iter()
            .flat_map(|t| t.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect())
    }

    /// The folded names the author has dismissed.
    pub(crate) fn dismissed_names(&self) -> Result<HashSet<String>> {
        Ok(self
            .db()
            .prepare_cached("SELECT term FROM name_dismissal")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Capitalised names that recur (twice or more) in the sources and are neither in the
    /// register nor dismissed, most frequent first.
    pub fn name_suggestions(&self) -> Result<Vec<NameSuggestion>> {
        let p = self.pseudonymiser()?;
        let known = self.known_words()?;
        let mut tally = NameTally::default();
        let mut stmt = self.db().prepare(
            "SELECT p.id, p.source_id, p.text FROM paragraph p JOIN source s ON s.id = p.source_id
             ORDER BY s.position, s.rid, p.seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (id, source, text) = row?;
            tally.add(&text, &candidates(&text, &p, &known), &source, &id);
        }
        Ok(tally.recurring(2, &self.dismissed_names()?))
    }

    /// Stops suggesting `name` (it is not a name, or not one that identifies anyone).
    pub fn dismiss_name_suggestion(&mut self, name: &str) -> Result<()> {
        let key = fold(name);
        if key.is_empty() {
            return Err(Error::invalid("name", "give the name to dismiss"));
        }
        let at = self.now().to_rfc3339();
        // A preference about suggestions, not part of the review's content: no audit row.
        self.db().execute(
            "INSERT INTO name_dismissal (term, shown, at) VALUES (?1, ?2, ?3)
             ON CONFLICT (term) DO UPDATE SET shown = excluded.shown, at = excluded.at",
            params![key, name.trim(), at],
        )?;
        Ok(())
    }

    /// Suggests a dismissed name again.
    pub fn restore_name_suggestion(&mut self, name: &str) -> Result<()> {
        self.db()
            .execute("DELETE FROM name_dismissal WHERE term = ?1", [fold(name)])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals_that_only_start_sentences_are_not_names() {
        let p = Pseudonymiser::new(&[]).unwrap();
        let found = candidates(
            "Following the visit, Donna Hollis called. Oakfield said no. The Police came.",
            &p,
            &HashSet::new(),
        );
        let names: Vec<(&str, bool)> = found.iter().map(|c| (c.name.as_str(), c.initial)).collect();
        assert_eq!(names, vec![("Donna Hollis", false), ("Oakfield", true)]);
    }
}
