//! Publication: the register's real names replaced by pseudonyms, and the leak gate that scans
//! a publication export before it is written.
//!
//! [`Pseudonymiser`] is built once from the register and used for every piece of text. It
//! matches names case-insensitively on whole words (Unicode letters and digits count as word
//! characters, so "Rose" never touches "Rosebank"), takes the longest name at the leftmost
//! place, and keeps the names of entries that are safe to name (and every pseudonym) as they
//! are, so that a word inside a longer safe name ("Smith" in "Smith Street Surgery") is left
//! alone. [`gate`] scans finished files with the same matcher plus patterns that identify
//! (postcodes, phone numbers, NHS numbers, dates of birth).

pub mod gate;
pub mod suggest;

use std::collections::{BTreeMap, HashMap};

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::people::{Person, PersonCategory};
use crate::review::Review;

/// One name replaced by a pseudonym.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Substitution {
    /// Byte range of the pseudonym in the new text.
    pub start: usize,
    pub end: usize,
    /// Byte range of the name in the original text.
    pub source_start: usize,
    pub source_end: usize,
    /// The register entry whose name it was.
    pub entry_id: String,
    /// The words as written ("Laura", "LAURA SMITH").
    pub original: String,
    /// What replaced them ("Child S", "CHILD S").
    pub replacement: String,
}

/// Text with pseudonyms in place of real names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Substituted {
    pub text: String,
    pub substitutions: Vec<Substitution>,
}

/// A name the register cannot substitute: its entry needs a pseudonym, or the word is a
/// variant (a first name or surname alone) shared by more than one entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Unsubstituted {
    /// The name, as registered.
    pub name: String,
    /// The entries it could belong to.
    pub entry_ids: Vec<String>,
    /// Why it is left as it is, in words.
    pub reason: String,
}

/// What a matched name turns into.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    /// Replace with this entry's pseudonym.
    Replace { entry: usize },
    /// A safe name or a pseudonym: leave it, and let it shield the words inside it.
    Keep,
    /// A name of an entry that may not be named but cannot be replaced.
    Unresolved { entries: Vec<usize> },
}

/// Where a term came from, for settling clashes: an explicit name beats a derived variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    Variant,
    Explicit,
}

/// One name the matcher looks for.
#[derive(Debug, Clone)]
struct Term {
    /// The name as registered (for messages).
    name: String,
    target: Target,
}

/// The register turned into a matcher: finds names in text and says what each becomes.
#[derive(Debug, Clone)]
pub struct Pseudonymiser {
    entries: Vec<Person>,
    terms: Vec<Term>,
    matcher: Option<AhoCorasick>,
    unsubstituted: Vec<Unsubstituted>,
}

/// Titles left out when a name's first word is taken as a variant.
const TITLES: &[&str] = &[
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
    "master",
    "rev",
    "lady",
    "lord",
];

/// Folds text for matching: lower case, runs of white space as one space, curly apostrophes
/// as straight ones. Returns the folded text and, for each of its bytes (and its end), the
/// byte offset in `text` it came from.
fn fold_with_map(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
                map.push(i);
            }
            in_space = true;
            continue;
        }
        in_space = false;
        let c = match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' => '\'',
            other => other,
        };
        for l in c.to_lowercase() {
            let before = out.len();
            out.push(l);
            map.extend(std::iter::repeat_n(i, out.len() - before));
        }
    }
    map.push(text.len());
    (out, map)
}

/// Folds a name for comparison and matching.
pub(crate) fn fold(text: &str) -> String {
    fold_with_map(text.trim()).0
}

/// A word character: letters and digits of any script.
fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// True when `text[start..end]` stands as whole words.
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_word) && !after.is_some_and(is_word)
}

/// True when the text has letters and all of them are capitals (and more than one, so "I"
/// or an initial is not taken as shouting).
fn all_caps(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() > 1 && letters.iter().all(|c| c.is_uppercase())
}

/// True when `word` is a title such as "Mrs" or "Dr." rather than a name.
fn is_title(word: &str) -> bool {
    TITLES.contains(&word.trim_end_matches('.').to_lowercase().as_str())
}

/// The words a name is also written as on their own: the first and last words after any
/// titles in front ("Mrs Laura Smith" gives "Laura" and "Smith", "Dr Patel" gives "Patel"),
/// each at least two letters long. A title-like word after the first name is a name ("John
/// Lord" gives "Lord"). A name of one word and no title has no variants.
fn variants(name: &str) -> Vec<String> {
    let all: Vec<&str> = name.split_whitespace().collect();
    let titles = all.iter().take_while(|w| is_title(w)).count();
    let words = &all[titles..];
    if words.is_empty() || (words.len() < 2 && titles == 0) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for w in [words[0], words[words.len() - 1]] {
        let w = w.trim_matches(|c: char| !is_word(c));
        if w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !out.contains(&w.to_owned()) {
            out.push(w.to_owned());
        }
    }
    out
}

/// A name found in text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    /// Byte range in the text searched.
    pub start: usize,
    pub end: usize,
    term: usize,
}

impl Pseudonymiser {
    /// Builds the matcher from register entries (in register order).
    pub fn new(people: &[Person]) -> Result<Self> {
        // folded term -> (strength, name, target candidates)
        struct Claim {
            strength: Strength,
            name: String,
            keep: bool,
            entries: Vec<usize>,
        }
        let mut claims: BTreeMap<String, Claim> = BTreeMap::new();
        let mut claim = |name: &str, strength: Strength, entry: Option<usize>| {
            let key = fold(name);
            if key.is_empty() {
                return;
            }
            let c = claims.entry(key).or_insert_with(|| Claim {
                strength,
                name: name.trim().to_owned(),
                keep: false,
                entries: Vec::new(),
            });
            if strength > c.strength {
                // An explicit name overrides variants claimed before it.
                c.strength = strength;
                c.name = name.trim().to_owned();
                c.keep = false;
                c.entries.clear();
            } else if strength < c.strength {
                return;
            }
            match entry {
                Some(e) => {
                    if !c.entries.contains(&e) {
                        c.entries.push(e)
                    }
                }
                None => c.keep = true,
            }
        };
        for (i, p) in people.iter().enumerate() {
            let entry = (!p.safe_to_name).then_some(i);
            let names: Vec<&str> = std::iter::once(p.real_name.as_str())
                .chain(p.aliases.iter().map(String::as_str))
                .collect();
            for name in &names {
                claim(name, Strength::Explicit, entry);
            }
            if p.category == PersonCategory::Person {
                for name in &names {
                    for v in variants(name) {
                        claim(&v, Strength::Variant, entry);
                    }
                }
            }
        }
        for p in people {
            if !p.pseudonym.trim().is_empty() {
                claim(&p.pseudonym, Strength::Explicit, None);
            }
        }

        let mut terms = Vec::with_capacity(claims.len());
        let mut patterns = Vec::with_capacity(claims.len());
        let mut unsubstituted = Vec::new();
        for (key, c) in claims {
            let target = match (c.keep, c.entries.as_slice()) {
                (_, []) => Target::Keep,
                (false, [e]) if !people[*e].pseudonym.trim().is_empty() => {
                    Target::Replace { entry: *e }
                }
                (_, entries) => {
                    let reason = if c.keep || entries.len() > 1 {
                        "it is a name of more than one register entry; register the full name or an alias so each use can be told apart".to_owned()
                    } else {
                        format!(
                            "{} is not safe to name and has no pseudonym yet",
                            people[entries[0]].real_name
                        )
                    };
                    unsubstituted.push(Unsubstituted {
                        name: c.name.clone(),
                        entry_ids: entries.iter().map(|e| people[*e].id.clone()).collect(),
                        reason,
                    });
                    Target::Unresolved {
                        entries: entries.to_vec(),
                    }
                }
            };
            patterns.push(key);
            terms.push(Term {
                name: c.name,
                target,
            });
        }
        let matcher = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&patterns)
                    .map_err(|e| {
                        Error::invalid("register", format!("cannot build the name matcher: {e}"))
                    })?,
            )
        };
        Ok(Pseudonymiser {
            entries: people.to_vec(),
            terms,
            matcher,
            unsubstituted,
        })
    }

    /// Names that will stay as written, and why.
    pub fn unsubstituted(&self) -> &[Unsubstituted] {
        &self.unsubstituted
    }

    /// Every registered name in `text` on whole words, leftmost first and the longest at each
    /// place, not overlapping. Ranges are byte ranges of `text`.
    pub(crate) fn find(&self, text: &str) -> Vec<Found> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let (folded, map) = fold_with_map(text);
        let mut candidates: Vec<(usize, usize, usize)> = matcher
            .find_overlapping_iter(&folded)
            .filter(|m| whole_word(&folded, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut out = Vec::new();
        let mut last_end = 0;
        for (start, end, term) in candidates {
            if start < last_end {
                continue;
            }
            last_end = end;
            // Back to the original text's bytes: the end is where the last matched char ends.
            let source_start = map[start];
            let source_end = if end >= folded.len() {
                text.len()
            } else {
                // The first byte after the match belongs to the next original char.
                map[end]
            };
            out.push(Found {
                start: source_start,
                end: source_end,
                term,
            });
        }
        out
    }

    /// The matched name's entry, when the name is one that must not be published: its id and
    /// the registered name. `None` for safe names and pseudonyms.
    pub(crate) fn leak_of(&self, found: &Found) -> Option<(Option<&str>, &str)> {
        let term = &self.terms[found.term];
        match &term.target {
            Target::Keep => None,
            Target::Replace { entry } => Some((Some(&self.entries[*entry].id), &term.name)),
            Target::Unresolved { entries } => Some((
                (entries.len() == 1).then(|| self.entries[entries[0]].id.as_str()),
                &term.name,
            )),
        }
    }

    /// `text` with every name that can be replaced replaced by its pseudonym: capitals kept
    /// when the source shouts, and `James'` becoming `Adult B's`.
    pub fn substitute(&self, text: &str) -> Substituted {
        let mut out = String::with_capacity(text.len());
        let mut substitutions = Vec::new();
        let mut at = 0;
        for found in self.find(text) {
            let Target::Replace { entry } = self.terms[found.term].target else {
                continue;
            };
            let person = &self.entries[entry];
            let original = &text[found.start..found.end];
            let mut replacement = if all_caps(original) {
                person.pseudonym.trim().to_uppercase()
            } else {
                person.pseudonym.trim().to_owned()
            };
            let mut end = found.end;
            // "James' file" -> "Adult B's file": a bare apostrophe after a name ending in s.
            let rest = &text[end..];
            if original.to_lowercase().ends_with('s') && !replacement.to_lowercase().ends_with('s')
            {
                if let Some(apostrophe) = rest.chars().next().filter(|c| matches!(c, '\'' | '’'))
                {
                    let after = rest[apostrophe.len_utf8()..].chars().next();
                    if !after.is_some_and(is_word) {
                        end += apostrophe.len_utf8();
                        replacement.push(apostrophe);
                        replacement.push(if all_caps(original) { 'S' } else { 's' });
                    }
                }
            }
            out.push_str(&text[at..found.start]);
            let start = out.len();
            out.push_str(&replacement);
            substitutions.push(Substitution {
                start,
                end: out.len(),
                source_start: found.start,
                source_end: end,
                entry_id: person.id.clone(),
                original: text[found.start..end].to_owned(),
                replacement,
            });
            at = end;
        }
        out.push_str(&text[at..]);
        Substituted {
            text: out,
            substitutions,
        }
    }

    /// Just the substituted text.
    pub fn apply(&self, text: &str) -> String {
        if self.matcher.is_none() {
            return text.to_owned();
        }
        self.substitute(text).text
    }
}

/// How often each name was replaced in a rendered document, for the publication view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SubstitutionCount {
    pub entry_id: String,
    /// The words as written.
    pub original: String,
    pub replacement: String,
    pub count: u32,
}

/// Tallies substitutions by (entry, original, replacement), in first-seen order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Tally {
    order: Vec<(String, String, String)>,
    /// Each key's place in `order`, and its count.
    counts: HashMap<(String, String, String), (u32, u32)>,
}

impl Tally {
    /// Counts `subs`; answers, for each, its place in [`Self::counts`].
    pub(crate) fn add(&mut self, subs: &[Substitution]) -> Vec<u32> {
        let mut places = Vec::with_capacity(subs.len());
        for s in subs {
            let key = (
                s.entry_id.clone(),
                s.original.clone(),
                s.replacement.clone(),
            );
            let next = self.order.len() as u32;
            let (place, n) = self.counts.entry(key.clone()).or_insert((next, 0));
            if *n == 0 {
                self.order.push(key);
            }
            *n += 1;
            places.push(*place);
        }
        places
    }

    pub(crate) fn counts(&self) -> Vec<SubstitutionCount> {
        self.order
            .iter()
            .map(|k| SubstitutionCount {
                entry_id: k.0.clone(),
                original: k.1.clone(),
                replacement: k.2.clone(),
                count: self.counts[k].1,
            })
            .collect()
    }
}

impl Review {
    /// The register as a matcher.
    pub fn pseudonymiser(&self) -> Result<Pseudonymiser> {
        Pseudonymiser::new(&self.people()?)
    }

    /// Registered names a publication would leave as written (no pseudonym yet, or a first
    /// name or surname shared by two entries), for the register panel and the export dialog.
    pub fn unsubstituted_names(&self) -> Result<Vec<Unsubstituted>> {
        Ok(self.pseudonymiser()?.unsubstituted().to_vec())
    }

    /// `text` as it would be published, with each substitution (for hover in the preview).
    pub fn publish_text(&self, text: &str) -> Result<Substituted> {
        Ok(self.pseudonymiser()?.substitute(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, real: &str, aliases: &[&str], pseudonym: &str, safe: bool) -> Person {
        Person {
            id: id.into(),
            category: PersonCategory::Person,
            real_name: real.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            pseudonym: pseudonym.into(),
            role: String::new(),
            relation: String::new(),
            safe_to_name: safe,
        }
    }

    #[test]
    fn folding_maps_bytes_back() {
        let (f, map) = fold_with_map("A  ẞb’s");
        assert_eq!(f, "a ßb's");
        assert_eq!(map.len(), f.len() + 1);
        assert_eq!(map[2], 3);
    }

    #[test]
    fn names_variants_and_case() {
        let p = Pseudonymiser::new(&[
            entry("1", "Laura Smith", &["Lolly"], "Child S", false),
            entry("2", "Rose", &[], "Adult B", false),
        ])
        .unwrap();
        let s = p.substitute("LAURA SMITH met Rose at Rosebank; Laura's mum; lolly; Smith.");
        assert_eq!(
            s.text,
            "CHILD S met Adult B at Rosebank; Child S's mum; Child S; Child S."
        );
        assert_eq!(s.substitutions.len(), 5);
        assert_eq!(
            &s.text[s.substitutions[0].start..s.substitutions[0].end],
            "CHILD S"
        );
    }

    #[test]
    fn shared_surname_is_left_and_reported() {
        let p = Pseudonymiser::new(&[
            entry("1", "Laura Smith", &[], "Child S", false),
            entry("2", "Tom Smith", &[], "Adult B", false),
        ])
        .unwrap();
        assert_eq!(p.apply("Smith and Tom"), "Smith and Adult B");
        assert_eq!(p.unsubstituted().len(), 1);
        assert_eq!(p.unsubstituted()[0].name, "Smith");
    }

    #[test]
    fn only_titles_in_front_are_left_out_of_variants() {
        assert_eq!(variants("Mrs Laura Smith"), ["Laura", "Smith"]);
        assert_eq!(variants("Dr. Patel"), ["Patel"]);
        assert_eq!(variants("Rev Dr Amos Ng"), ["Amos", "Ng"]);
        // Surnames that are also titles are names when they follow a first name.
        assert_eq!(variants("John Lord"), ["John", "Lord"]);
        assert_eq!(variants("Aaa Rev"), ["Aaa", "Rev"]);
        assert!(variants("Laura").is_empty());
        assert!(variants("Mrs").is_empty());
        let p =
            Pseudonymiser::new(&[entry("1", "Lady Jane Master", &[], "Adult C", false)]).unwrap();
        assert_eq!(
            p.apply("Jane met Master and Lady Jane Master."),
            "Adult C met Adult C and Adult C."
        );
    }
}
