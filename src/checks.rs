//! Quality checks: what a reviewer should fix before the report goes to the board. Each result
//! says how serious it is, names the record in a sentence a reader understands, and points at
//! the record so the app can open it.
//!
//! Everything here only reads. "Today" (for overdue actions) comes from the review's clock, so
//! a fixed clock gives the same results every run.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::model::chronology::{ChronologyEntry, ChronologyFilter, Period};
use crate::model::details::Details;
use crate::model::recommendations::{ActionStatus, BoardResponse, Due, Recommendation};
use crate::model::sections::{scan_citations, Document};
use crate::model::sources::{Confidence, SourceKind};
use crate::model::text_enum;
use crate::publication::fold;
use crate::publication::suggest::{candidates, NameTally};
use crate::publication::Pseudonymiser;
use crate::review::Review;

text_enum! {
    /// How serious a check result is: an error must be fixed before publication, a warning
    /// should be looked at, an info is worth knowing.
    Severity { Error = "error", Warning = "warning", Info = "info" }
}

text_enum! {
    /// The kind of record a check result points at, named as the app navigates to it.
    TargetKind {
        Details = "details", Tor = "tor", Source = "source", Chronology = "chronology",
        Finding = "finding", Recommendation = "recommendation", Action = "action",
        Section = "section",
    }
}

text_enum! {
    /// What a check found; each code is a stable id the app and scripts can rely on.
    CheckCode {
        FindingWithoutEvidence = "finding_without_evidence",
        TorUnanswered = "tor_unanswered",
        TorOutOfScopeButAnswered = "tor_out_of_scope_but_answered",
        RecommendationWithoutFinding = "recommendation_without_finding",
        RecommendationWithoutOwner = "recommendation_without_owner",
        RecommendationWithoutDue = "recommendation_without_due",
        DuplicateRecommendationNumber = "duplicate_recommendation_number",
        MissingRecommendationNumber = "missing_recommendation_number",
        RecommendationOutOfOrder = "recommendation_out_of_order",
        VagueWording = "vague_wording",
        BrokenCitation = "broken_citation",
        MalformedCitation = "malformed_citation",
        ImrNotRated = "imr_not_rated",
        ChronologyWithoutLocator = "chronology_without_locator",
        ChronologyOutsidePeriods = "chronology_outside_periods",
        PeriodsNotSet = "periods_not_set",
        ActionOverdue = "action_overdue",
        RealNameInSection = "real_name_in_section",
        UnregisteredName = "unregistered_name",
    }
}

impl CheckCode {
    /// How serious a result with this code is.
    pub fn severity(self) -> Severity {
        use CheckCode::*;
        match self {
            FindingWithoutEvidence
            | TorUnanswered
            | RecommendationWithoutFinding
            | RecommendationWithoutOwner
            | RecommendationWithoutDue
            | DuplicateRecommendationNumber
            | MissingRecommendationNumber
            | RecommendationOutOfOrder
            | BrokenCitation
            | MalformedCitation
            | RealNameInSection => Severity::Error,
            VagueWording
            | ImrNotRated
            | ChronologyWithoutLocator
            | ChronologyOutsidePeriods
            | ActionOverdue
            | UnregisteredName => Severity::Warning,
            TorOutOfScopeButAnswered | PeriodsNotSet => Severity::Info,
        }
    }
}

/// The record a check result is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CheckTarget {
    /// What kind of record it is, which decides where the app opens it.
    pub kind: TargetKind,
    /// The record's id (the review's own id for `details`).
    pub id: String,
}

/// One thing a check found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CheckResult {
    /// What was found, as a stable id.
    pub code: CheckCode,
    /// How serious it is (follows from the code).
    pub severity: Severity,
    /// One sentence naming the record: "Finding F7 “…” cites no evidence".
    pub message: String,
    /// The record to open to fix it.
    pub target: CheckTarget,
    /// What to do about it, or more about what was found.
    pub detail: Option<String>,
}

/// Every result of [`Review::checks`], most serious first, with the counts per severity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CheckReport {
    /// Errors first, then warnings, then infos; within each, in the review's order (details,
    /// terms of reference, sources, chronology, findings, recommendations with their actions,
    /// report sections).
    pub results: Vec<CheckResult>,
    /// How many results are errors.
    pub errors: usize,
    /// How many results are warnings.
    pub warnings: usize,
    /// How many results are infos.
    pub infos: usize,
}

/// The words behind the "hard to measure" warning, kept in one place.
///
/// A recommendation or action is flagged when it asks for effort rather than an outcome (one of
/// [`VAGUE_PHRASES`](wording::VAGUE_PHRASES), used as a verb: after "should", "must", "needs to"...
/// or opening a sentence, as an action's wording does) and nothing in its wording says how
/// success will be known: no digit (numbers, dates, percentages), no number word, month or
/// [`MEASURE_PHRASES`](wording::MEASURE_PHRASES) entry ("audit", "within a month", "report
/// to"...). A recommendation's measure field counts too, where a quantifier such as "every" or
/// "no" also sets a standard ([`STANDARD_WORDS`](wording::STANDARD_WORDS)); due dates do not
/// count, since they say when, not what.
pub mod wording {
    /// Verbs (and verb phrases) that promise effort rather than a result a board can test.
    pub const VAGUE_PHRASES: &[&str] = &[
        "consider",
        "explore",
        "review",
        "look at",
        "look into",
        "reflect on",
        "think about",
        "be mindful",
        "be aware",
        "promote",
        "encourage",
        "improve",
        "strengthen",
        "enhance",
        "raise awareness",
        "seek assurance",
        "work towards",
        "continue to",
    ];

    /// Words after which a vague phrase is a verb the text asks for ("should review").
    pub const VERB_LEADS: &[&str] = &[
        "should", "must", "will", "shall", "could", "would", "may", "might", "can",
    ];

    /// Words that make a following "to" ask for what comes next ("needs to improve", "seek to
    /// strengthen"). A bare "to" is left alone: in "introduce a daily meeting to improve
    /// timeliness" the purpose is not the task.
    pub const TO_LEADS: &[&str] = &[
        "need",
        "needs",
        "needed",
        "asked",
        "expected",
        "required",
        "seek",
        "seeks",
        "aim",
        "aims",
        "continue",
        "continues",
        "work",
        "works",
        "try",
        "strive",
        "commit",
        "plan",
        "intend",
        "want",
        "wish",
        "agree",
        "agrees",
        "undertake",
        "undertakes",
        "encouraged",
    ];

    /// Words that may stand between a lead and its verb ("should also review"), besides any
    /// word ending in "-ly" ("should urgently review").
    pub const ADVERBS: &[&str] = &[
        "also", "further", "then", "now", "both", "jointly", "together", "first", "still", "each",
        "all",
    ];

    /// Words and phrases that give a measure: a timescale, a quantity or a named check.
    pub const MEASURE_PHRASES: &[&str] = &[
        "per cent",
        "percent",
        "percentage",
        "by the end of",
        "deadline",
        "target",
        "audit",
        "audits",
        "audited",
        "re-audit",
        "re-audits",
        "dip sample",
        "dip samples",
        "dip-sample",
        "dip-samples",
        "survey",
        "inspection",
        "report to",
        "reports to",
        "reported to",
        "report back",
        "annual report",
        "within a week",
        "within a month",
        "within a year",
        "each month",
        "every month",
        "each quarter",
        "every quarter",
        "each year",
        "every year",
        "daily",
        "weekly",
        "monthly",
        "quarterly",
        "annually",
    ];

    /// Quantifiers that, in a measure field, set a standard to test against ("every request is
    /// answered", "no assessment closed"). In the text itself they prove nothing.
    pub const STANDARD_WORDS: &[&str] = &["every", "each", "all", "whenever", "no", "none"];

    /// Number words that quantify ("nine cases out of ten", "within six weeks").
    pub const NUMBER_WORDS: &[&str] = &[
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "half",
    ];

    /// Month names that date a commitment ("by March"). "May" is left out: it is far more often
    /// the verb, and "May 2025" is caught by its digits anyway.
    pub const MONTHS: &[&str] = &[
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];

    /// The words of `text` in lowercase, split into sentences; a word keeps inner hyphens and
    /// apostrophes ("re-audit", "children's").
    fn sentences(text: &str) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = vec![Vec::new()];
        let mut word = String::new();
        let mut chars = text.chars().peekable();
        let flush = |word: &mut String, out: &mut Vec<Vec<String>>| {
            let w = word.trim_matches(|c| c == '-' || c == '\'' || c == '’');
            if !w.is_empty() {
                out.last_mut().expect("one sentence").push(w.to_lowercase());
            }
            word.clear();
        };
        while let Some(c) = chars.next() {
            if c.is_alphanumeric() || c == '-' || c == '\'' || c == '’' {
                word.push(c);
                continue;
            }
            flush(&mut word, &mut out);
            let ends = match c {
                '.' => chars.peek().is_none_or(|n| n.is_whitespace()),
                ';' | ':' | '!' | '?' | '\n' | '•' => true,
                _ => false,
            };
            if ends && !out.last().expect("one sentence").is_empty() {
                out.push(Vec::new());
            }
        }
        flush(&mut word, &mut out);
        out.retain(|s| !s.is_empty());
        out
    }

    /// Whether `words` holds `phrase` (space-separated words) starting at `at`.
    fn phrase_at(words: &[String], at: usize, phrase: &str) -> bool {
        let parts: Vec<&str> = phrase.split(' ').collect();
        words.len() >= at + parts.len() && parts.iter().zip(&words[at..]).all(|(p, w)| p == w)
    }

    /// Whether the phrase at `at` is a verb the sentence asks for: it opens the sentence (an
    /// instruction), follows a [`VERB_LEADS`] word or a [`TO_LEADS`] word and "to" (skipping up
    /// to two adverbs), or follows "and"/"or" after such a lead ("should reflect on it and
    /// strengthen…").
    fn used_as_verb(words: &[String], at: usize) -> bool {
        if at == 0 {
            return true;
        }
        let leads = |i: usize| {
            VERB_LEADS.contains(&words[i].as_str())
                || (words[i] == "to" && i > 0 && TO_LEADS.contains(&words[i - 1].as_str()))
        };
        let mut i = at;
        for _ in 0..3 {
            let before = words[i - 1].as_str();
            if leads(i - 1) {
                return true;
            }
            if before == "and" || before == "or" {
                return (0..i - 1).any(leads);
            }
            let adverb = ADVERBS.contains(&before) || before.ends_with("ly");
            if !adverb || i == 1 {
                return false;
            }
            i -= 1;
        }
        false
    }

    /// The vague phrases `text` uses as verbs, each once, in the order of [`VAGUE_PHRASES`].
    pub fn vague_phrases(text: &str) -> Vec<&'static str> {
        let sentences = sentences(text);
        VAGUE_PHRASES
            .iter()
            .copied()
            .filter(|phrase| {
                sentences.iter().any(|words| {
                    (0..words.len()).any(|at| {
                        phrase_at(words, at, phrase)
                            && used_as_verb(words, at)
                            // One word followed by "of" is a noun: "a review of the cases".
                            && (phrase.contains(' ')
                                || words.get(at + 1).is_none_or(|w| w != "of"))
                    })
                })
            })
            .collect()
    }

    /// Whether `text` gives any measure: a digit, a percentage, a number word, a month or a
    /// [`MEASURE_PHRASES`] entry.
    pub fn has_measure(text: &str) -> bool {
        if text.chars().any(|c| c.is_ascii_digit() || c == '%') {
            return true;
        }
        sentences(text).iter().any(|words| {
            (0..words.len()).any(|at| {
                let w = words[at].as_str();
                NUMBER_WORDS.contains(&w)
                    || MONTHS.contains(&w)
                    || MEASURE_PHRASES.iter().any(|p| phrase_at(words, at, p))
            })
        })
    }

    /// Whether a measure field states a standard: anything [`has_measure`] accepts, or a
    /// [`STANDARD_WORDS`] quantifier ("every referral records…", "no case closed…").
    pub fn states_standard(measure: &str) -> bool {
        has_measure(measure)
            || sentences(measure)
                .iter()
                .flatten()
                .any(|w| STANDARD_WORDS.contains(&w.as_str()))
    }

    /// The vague phrases of `text` when nothing in it, nor in its `measure` field, says how
    /// success will be known; empty when the wording is measurable.
    pub fn hard_to_measure(text: &str, measure: &str) -> Vec<&'static str> {
        if has_measure(text) || states_standard(measure) {
            return Vec::new();
        }
        vague_phrases(text)
    }
}

/// The first words of `text`, at most about `max` characters, in curly quotes.
fn quoted(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return format!("“{text}”");
    }
    let mut cut: String = text.chars().take(max).collect();
    if let Some(space) = cut.rfind(' ') {
        if space > max / 2 {
            cut.truncate(space);
        }
    }
    // Stop before an aside the cut would leave open: "home (date…" reads as "home…".
    if let Some(open) = cut.rfind('(') {
        if !cut[open..].contains(')') && open > max / 2 {
            cut.truncate(open);
        }
    }
    let cut = cut.trim_end_matches([',', ';', ':', '.', ' ', '-', '–', '—']);
    format!("“{cut}…”")
}

/// A date as the messages write it: "31 May 2024".
fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A chronology entry's date as the chronology shows it: "12/03/2023", "03/2023", "2023".
fn entry_date(e: &ChronologyEntry) -> String {
    crate::search::display_date(&e.date.to_string(), e.precision.as_str())
}

/// A period in words: "14 March 2022 to 6 October 2023", "from …", "until …" or "not set".
fn period_words(start: Option<NaiveDate>, end: Option<NaiveDate>) -> String {
    match (start, end) {
        (Some(s), Some(e)) => format!("{} to {}", long_date(s), long_date(e)),
        (Some(s), None) => format!("from {}", long_date(s)),
        (None, Some(e)) => format!("until {}", long_date(e)),
        (None, None) => "not set".into(),
    }
}

/// Quoted phrases joined for a sentence: “a”, “b” and “c”.
fn phrase_list(phrases: &[&str]) -> String {
    let quoted: Vec<String> = phrases.iter().map(|p| format!("“{p}”")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// A result with where its record sits in the review, for sorting.
struct Found {
    /// (kind of record, its place among them, place within it: an action under its
    /// recommendation, a citation in its section).
    order: (TargetKind, usize, usize),
    result: CheckResult,
}

/// Collects results as the checks run.
#[derive(Default)]
struct Findings(Vec<Found>);

impl Findings {
    fn add(
        &mut self,
        code: CheckCode,
        target: (TargetKind, &str),
        place: (usize, usize),
        message: String,
        detail: Option<String>,
    ) {
        // An action sits with its recommendation, after it.
        let rank = match target.0 {
            TargetKind::Action => TargetKind::Recommendation,
            kind => kind,
        };
        self.0.push(Found {
            order: (rank, place.0, place.1),
            result: CheckResult {
                code,
                severity: code.severity(),
                message,
                target: CheckTarget {
                    kind: target.0,
                    id: target.1.to_owned(),
                },
                detail,
            },
        });
    }
}

impl Review {
    /// Runs every quality check over the review. Results come most serious first and, within a
    /// severity, in the review's order; actions are overdue by the review's clock.
    pub fn checks(&self) -> Result<CheckReport> {
        let today = self.clock.now().date_naive();
        let mut found = Findings::default();
        let details = self.details()?;
        let chronology = self.chronology(&ChronologyFilter::default())?;
        check_periods(&details, &chronology, &mut found);
        self.check_tor(&mut found)?;
        self.check_sources(&mut found)?;
        check_chronology(&details, &chronology, &mut found);
        self.check_findings(&mut found)?;
        let recommendations = self.recommendations()?;
        check_recommendations(&recommendations, today, &mut found);
        check_numbers(&recommendations, &mut found);
        self.check_sections(&mut found)?;

        let mut all = found.0;
        all.sort_by(|a, b| {
            (a.result.severity, a.order, a.result.code).cmp(&(
                b.result.severity,
                b.order,
                b.result.code,
            ))
        });
        let results: Vec<CheckResult> = all.into_iter().map(|f| f.result).collect();
        let count = |s: Severity| results.iter().filter(|r| r.severity == s).count();
        Ok(CheckReport {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            results,
        })
    }

    /// Terms of reference that no finding answers, and out-of-scope ones that one does.
    fn check_tor(&self, found: &mut Findings) -> Result<()> {
        let mut answered: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for f in self.findings()? {
            for tor in &f.tor_ids {
                answered.entry(tor.clone()).or_default().push(f.number);
            }
        }
        for (i, item) in self.tor_items()?.iter().enumerate() {
            let label = format!(
                "Term of reference {} {}",
                item.number,
                quoted(&item.text, 60)
            );
            let reason = item
                .out_of_scope_reason
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty());
            let by = answered.get(&item.id).map(|v| {
                let mut v = v.clone();
                v.sort_unstable();
                v
            });
            match (by, reason) {
                (None, None) => found.add(
                    CheckCode::TorUnanswered,
                    (TargetKind::Tor, &item.id),
                    (i, 0),
                    format!("{label} is answered by no finding"),
                    Some(
                        "Link a finding that answers it, or mark it out of scope and give the \
                         reason."
                            .into(),
                    ),
                ),
                (Some(numbers), Some(reason)) => {
                    let names: Vec<String> = numbers.iter().map(|n| format!("F{n}")).collect();
                    let verb = if names.len() == 1 {
                        "answers"
                    } else {
                        "answer"
                    };
                    found.add(
                        CheckCode::TorOutOfScopeButAnswered,
                        (TargetKind::Tor, &item.id),
                        (i, 0),
                        format!(
                            "{label} is marked out of scope, but {} {verb} it",
                            names.join(", ")
                        ),
                        Some(format!("The reason given for leaving it out: {reason}")),
                    )
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// IMRs without a confidence rating (superseded versions are left alone).
    fn check_sources(&self, found: &mut Findings) -> Result<()> {
        for (i, s) in self.sources()?.iter().enumerate() {
            if s.kind == SourceKind::Imr
                && s.confidence == Confidence::NotRated
                && s.superseded_by_id.is_none()
            {
                found.add(
                    CheckCode::ImrNotRated,
                    (TargetKind::Source, &s.id),
                    (i, 0),
                    format!("IMR {} has no confidence rating", quoted(&s.title, 60)),
                    Some(
                        "Rate how far the review can rely on it (high, medium or low) and say \
                         why."
                            .into(),
                    ),
                );
            }
        }
        Ok(())
    }

    /// Findings with no evidence behind them.
    fn check_findings(&self, found: &mut Findings) -> Result<()> {
        for (i, f) in self.findings()?.iter().enumerate() {
            if f.evidence_count == 0 {
                found.add(
                    CheckCode::FindingWithoutEvidence,
                    (TargetKind::Finding, &f.id),
                    (i, 0),
                    format!(
                        "Finding F{} {} cites no evidence",
                        f.number,
                        quoted(&f.statement, 60)
                    ),
                    Some(
                        "Link the excerpts or chronology entries that support it, so a reader \
                         can see what it rests on."
                            .into(),
                    ),
                );
            }
        }
        Ok(())
    }

    /// Citations in report sections that point at deleted records or cannot be read; real
    /// names of register entries that may not be named; capitalised names the register lacks.
    fn check_sections(&self, found: &mut Findings) -> Result<()> {
        let names = self.pseudonymiser()?;
        // Unregistered names: those the sources repeat, and those the sections repeat.
        let mut suspects: std::collections::HashSet<String> = self
            .name_suggestions()?
            .into_iter()
            .map(|s| fold(&s.name))
            .collect();
        let known = self.known_words()?;
        let mut tally = NameTally::default();
        for document in [Document::Overview, Document::Summary] {
            for section in self.sections(document)? {
                let text = format!("{}\n\n{}", section.heading, section.body);
                tally.add(&text, &candidates(&text, &names, &known), "", &section.id);
            }
        }
        suspects.extend(
            tally
                .recurring(2, &self.dismissed_names()?)
                .into_iter()
                .map(|s| fold(&s.name)),
        );
        let mut place = 0;
        for document in [Document::Overview, Document::Summary] {
            let doc_name = match document {
                Document::Overview => "the overview report",
                Document::Summary => "the executive summary",
            };
            let broken = self.broken_citations(document)?;
            for section in self.sections(document)? {
                let label = format!("Section {} of {doc_name}", quoted(&section.heading, 60));
                for (_, citation) in broken.iter().filter(|(id, _)| *id == section.id) {
                    let kind = match citation.kind.as_str() {
                        "tor" => "term of reference",
                        "chronology" => "chronology entry",
                        other => other,
                    };
                    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
                        "an"
                    } else {
                        "a"
                    };
                    found.add(
                        CheckCode::BrokenCitation,
                        (TargetKind::Section, &section.id),
                        (place, citation.start),
                        format!("{label} cites {article} {kind} that has been deleted"),
                        Some(format!(
                            "Remove the citation {} or cite what replaced it.",
                            &section.body[citation.start..citation.end]
                        )),
                    );
                }
                for bad in scan_citations(&section.body).errors {
                    found.add(
                        CheckCode::MalformedCitation,
                        (TargetKind::Section, &section.id),
                        (place, bad.start),
                        format!("{label} has a citation that cannot be read: {}", bad.token),
                        Some(format!(
                            "{}; insert the citation again from the picker.",
                            capitalise(&bad.problem)
                        )),
                    );
                }
                let text = format!("{}\n\n{}", section.heading, section.body);
                let context = (&names, &suspects, &known);
                self.check_names(context, &label, &section.id, place, &text, found)?;
                place += 1;
            }
        }
        Ok(())
    }
}

impl Review {
    /// Real names and unregistered names in one section's text.
    fn check_names(
        &self,
        (names, suspects, known): (
            &Pseudonymiser,
            &std::collections::HashSet<String>,
            &std::collections::HashSet<String>,
        ),
        label: &str,
        section_id: &str,
        place: usize,
        text: &str,
        found: &mut Findings,
    ) -> Result<()> {
        // One result per registered name, at its first use.
        let mut seen: BTreeMap<String, (usize, String, u32, Option<String>)> = BTreeMap::new();
        for f in names.find(text) {
            if let Some((entry, name)) = names.leak_of(&f) {
                let e = seen.entry(fold(name)).or_insert((
                    f.start,
                    text[f.start..f.end].to_owned(),
                    0,
                    entry.map(str::to_owned),
                ));
                e.2 += 1;
            }
        }
        let people = self.people()?;
        for (start, written, count, entry) in seen.into_values() {
            let person = entry.and_then(|id| people.iter().find(|p| p.id == id));
            let times = if count > 1 {
                format!(" ({count} times)")
            } else {
                String::new()
            };
            found.add(
                CheckCode::RealNameInSection,
                (TargetKind::Section, section_id),
                (place, start),
                format!("{label} names “{written}”{times}, a real name that may not be published"),
                Some(match person {
                    Some(p) if !p.pseudonym.trim().is_empty() => format!(
                        "Write the pseudonym “{}” instead. A publication export replaces it, but the working text should not rely on that.",
                        p.pseudonym.trim()
                    ),
                    Some(p) => format!(
                        "Give {} a pseudonym in the register; until then a publication export refuses to go out.",
                        p.real_name
                    ),
                    None => "The word is a name of more than one register entry; write the pseudonym meant.".to_owned(),
                }),
            );
        }
        let mut reported = std::collections::HashSet::new();
        for c in candidates(text, names, known) {
            let key = fold(&c.name);
            if suspects.contains(&key) && reported.insert(key) {
                found.add(
                    CheckCode::UnregisteredName,
                    (TargetKind::Section, section_id),
                    (place, c.start),
                    format!("{label} mentions “{}”, which is not in the pseudonym register", c.name),
                    Some(
                        "If it names a person, place or organisation that could identify the family, add it to the register with a pseudonym; otherwise dismiss the suggestion.".to_owned(),
                    ),
                );
            }
        }
        Ok(())
    }
}

/// `text` with its first letter in upper case.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// An info when the chronology has entries but neither period is set to place them in.
fn check_periods(details: &Details, chronology: &[ChronologyEntry], found: &mut Findings) {
    let none_set = [
        details.review_period_start,
        details.review_period_end,
        details.context_period_start,
        details.context_period_end,
    ]
    .iter()
    .all(Option::is_none);
    if none_set && !chronology.is_empty() {
        found.add(
            CheckCode::PeriodsNotSet,
            (TargetKind::Details, &details.id),
            (0, 0),
            "The review period and the context period are not set, so the chronology cannot \
             be checked against them"
                .into(),
            Some("Set them in the review's details.".into()),
        );
    }
}

/// Entries that do not say where they come from, or that fall outside both periods.
fn check_chronology(details: &Details, chronology: &[ChronologyEntry], found: &mut Findings) {
    for (i, e) in chronology.iter().enumerate() {
        let label = format!(
            "Chronology entry {} {}",
            entry_date(e),
            quoted(&e.event, 50)
        );
        if e.source_locator.trim().is_empty() && e.paragraph_id.is_none() {
            let (message, detail) = if e.source_id.is_some() {
                (
                    format!("{label} does not say where in its source it is recorded"),
                    "Add the paragraph or page (“Police IMR para 4.3”).",
                )
            } else {
                (
                    format!("{label} does not say where it comes from"),
                    "Add the source and the paragraph or page (“Police IMR para 4.3”).",
                )
            };
            found.add(
                CheckCode::ChronologyWithoutLocator,
                (TargetKind::Chronology, &e.id),
                (i, 0),
                message,
                Some(detail.into()),
            );
        }
        if e.period == Period::Outside {
            found.add(
                CheckCode::ChronologyOutsidePeriods,
                (TargetKind::Chronology, &e.id),
                (i, 0),
                format!("{label} falls outside both the review period and the context period"),
                Some(format!(
                    "The review period is {} and the context period {}. Correct the date, \
                     widen a period, or remove the entry if it does not bear on the review.",
                    period_words(details.review_period_start, details.review_period_end),
                    period_words(details.context_period_start, details.context_period_end),
                )),
            );
        }
    }
}

/// Missing links, owners and due dates; wording that cannot be measured; overdue actions.
fn check_recommendations(recs: &[Recommendation], today: NaiveDate, found: &mut Findings) {
    for (i, r) in recs.iter().enumerate() {
        let label = format!("R{} {}", r.number, quoted(&r.text, 60));
        let target = (TargetKind::Recommendation, r.id.as_str());
        let live = r.board_response != BoardResponse::Rejected;
        if r.finding_ids.is_empty() {
            found.add(
                CheckCode::RecommendationWithoutFinding,
                target,
                (i, 0),
                format!("{label} is linked to no finding"),
                Some("Link the findings that led to it, so readers can see why it is made.".into()),
            );
        }
        if live && r.owner_role.trim().is_empty() {
            found.add(
                CheckCode::RecommendationWithoutOwner,
                target,
                (i, 0),
                format!("{label} has no owner"),
                Some("Name the role that will answer to the board for it.".into()),
            );
        }
        if live && r.due == Due::None {
            found.add(
                CheckCode::RecommendationWithoutDue,
                target,
                (i, 0),
                format!("{label} has no due date"),
                Some("Set a date, a month, “immediately” or “as a matter of urgency”.".into()),
            );
        }
        let vague = wording::hard_to_measure(&r.text, &r.measure);
        if live && !vague.is_empty() {
            found.add(
                CheckCode::VagueWording,
                target,
                (i, 0),
                format!(
                    "{label} is hard to measure: it asks to {} but says nothing a board could \
                     check",
                    phrase_list(&vague)
                ),
                Some(measure_advice(true)),
            );
        }
        for (a_i, a) in r.actions.iter().enumerate() {
            let a_label = format!(
                "Action {} of R{} {}",
                a_i + 1,
                r.number,
                quoted(&a.text, 50)
            );
            let a_target = (TargetKind::Action, a.id.as_str());
            let vague = wording::hard_to_measure(&a.text, "");
            if live && a.status != ActionStatus::Complete && !vague.is_empty() {
                found.add(
                    CheckCode::VagueWording,
                    a_target,
                    (i, a_i + 1),
                    format!(
                        "{a_label} is hard to measure: it asks to {} but says nothing that \
                         shows when it is done",
                        phrase_list(&vague)
                    ),
                    Some(measure_advice(false)),
                );
            }
            if live && a.is_overdue(today) {
                let due = a.due_date.map(long_date).unwrap_or_default();
                let status = match a.status {
                    ActionStatus::NotStarted => "not started",
                    ActionStatus::OnTrack => "on track",
                    ActionStatus::AtRisk => "at risk",
                    ActionStatus::Overdue => "overdue",
                    ActionStatus::Complete => "complete",
                };
                found.add(
                    CheckCode::ActionOverdue,
                    a_target,
                    (i, a_i + 1),
                    format!("{a_label} was due on {due} and is not complete"),
                    Some(format!(
                        "Its status is “{status}”. Mark it complete with the evidence, or \
                         record an update and agree a new date."
                    )),
                );
            }
        }
    }
}

/// What to add to make wording measurable.
fn measure_advice(recommendation: bool) -> String {
    let place = if recommendation {
        "in its text or its measure"
    } else {
        "in its text"
    };
    format!(
        "Say what will change and how anyone will know, {place}: a number or percentage, a \
         date or timescale (“within six weeks”), or a named audit or report."
    )
}

/// Recommendation numbers that repeat, skip, or run out of list order. The model renumbers on
/// every add, move and delete, but a loaded dump keeps the numbers it was given.
fn check_numbers(recs: &[Recommendation], found: &mut Findings) {
    let mut by_number: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, r) in recs.iter().enumerate() {
        by_number.entry(r.number).or_default().push(i);
    }
    let detail =
        || Some("Moving any recommendation renumbers them all in list order (R1, R2…).".into());
    for (number, places) in &by_number {
        if places.len() > 1 {
            let texts: Vec<String> = places.iter().map(|&i| quoted(&recs[i].text, 40)).collect();
            let count = match places.len() {
                2 => "Two".to_owned(),
                3 => "Three".to_owned(),
                n => n.to_string(),
            };
            let last = places[places.len() - 1];
            found.add(
                CheckCode::DuplicateRecommendationNumber,
                (TargetKind::Recommendation, &recs[last].id),
                (last, 0),
                format!(
                    "{count} recommendations are numbered R{number}: {}",
                    texts.join(" and ")
                ),
                detail(),
            );
        }
    }
    // Each run of numbers nobody holds, reported at the recommendation after it.
    let mut expected = 1;
    for (&number, places) in &by_number {
        if number > expected {
            let at = places[0];
            let missing = if number - expected == 1 {
                format!("There is no R{expected}")
            } else {
                format!("There are no R{expected}–R{}", number - 1)
            };
            let context = if expected == 1 {
                format!("the recommendations start at R{number}")
            } else {
                format!("the numbers jump from R{} to R{number}", expected - 1)
            };
            found.add(
                CheckCode::MissingRecommendationNumber,
                (TargetKind::Recommendation, &recs[at].id),
                (at, 0),
                format!("{missing}: {context}"),
                detail(),
            );
        }
        expected = expected.max(number + 1);
    }
    for (i, pair) in recs.windows(2).enumerate() {
        if pair[1].number < pair[0].number {
            found.add(
                CheckCode::RecommendationOutOfOrder,
                (TargetKind::Recommendation, &pair[1].id),
                (i + 1, 0),
                format!(
                    "R{} {} comes after R{} in the list",
                    pair[1].number,
                    quoted(&pair[1].text, 40),
                    pair[0].number
                ),
                detail(),
            );
        }
    }
}
