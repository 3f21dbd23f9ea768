//! The demo review: an invented Child Safeguarding Practice Review ("Child R") that a new user
//! sees on the desktop app's first run, and the "S" size of the benchmarks.
//!
//! The content lives in `demo/` beside the crate and is compiled in: six source documents as
//! plain text (numbered paragraphs, split by [`split_plain_text`]) and `case.json` holding
//! everything else. Records refer to one another by stable keys (`F3`, `C41`, `E12`...),
//! evidence names a document's own paragraph label with an exact quote, and report sections
//! cite with `{{kind:key}}` placeholders that become `[[kind:uuid]]` tokens.
//!
//! Building happens in two steps. [`Plan`] first resolves every key, label and quote without
//! touching the disk, so a reference that does not resolve is an error naming it and no file is
//! made. Then the review is created and filled through the public model API only, so the demo
//! obeys every rule the app itself obeys. Nothing is ever skipped.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::context::{Actor, Context};
use crate::error::{Error, Result};
use crate::model::agencies::AgencyInput;
use crate::model::chronology::{ChronologyInput, DatePrecision, Significance};
use crate::model::comments::{CommentTarget, TextAnchor};
use crate::model::details::DetailsInput;
use crate::model::findings::{EvidenceTarget, FindingInput, FindingKind, Relation};
use crate::model::panel::{MeetingInput, PanelMemberInput};
use crate::model::people::PersonInput;
use crate::model::recommendations::{ActionInput, BoardResponse, Due, Origin, RecommendationInput};
use crate::model::sections::{Document, SectionInput};
use crate::model::sources::{split_plain_text, Confidence, SourceInput, SourceKind};
use crate::model::themes::ThemeInput;
use crate::model::tor::TorInput;
use crate::review::Review;

/// The demo's case file: everything except the source texts, as JSON.
pub const DEMO_CASE: &str = include_str!("../demo/case.json");

/// The demo's source documents: the file name `case.json` uses for each, and its text.
pub const DEMO_SOURCES: &[(&str, &str)] = &[
    ("csc_imr.txt", include_str!("../demo/sources/csc_imr.txt")),
    (
        "police_imr.txt",
        include_str!("../demo/sources/police_imr.txt"),
    ),
    (
        "health_visiting_imr.txt",
        include_str!("../demo/sources/health_visiting_imr.txt"),
    ),
    (
        "school_imr.txt",
        include_str!("../demo/sources/school_imr.txt"),
    ),
    (
        "hospital_imr.txt",
        include_str!("../demo/sources/hospital_imr.txt"),
    ),
    (
        "health_overview.txt",
        include_str!("../demo/sources/health_overview.txt"),
    ),
];

/// Creates the demo review at `path` (which must not exist yet) and returns it open.
/// The demo arrives as a finished review: its making is in the audit log, but a new user's
/// first Ctrl+Z must not start taking it apart.
pub fn build_demo(path: &Path, ctx: Context) -> Result<Review> {
    let mut review = build_case(path, ctx, DEMO_CASE, DEMO_SOURCES)?;
    review.seal_history()?;
    Ok(review)
}

/// Creates a review at `path` from a case file in the demo's format and its source texts
/// (file name, text). Every reference is checked before the file is made; if anything fails
/// no file is left behind.
pub fn build_case(
    path: &Path,
    ctx: Context,
    case_json: &str,
    sources: &[(&str, &str)],
) -> Result<Review> {
    let case: Case = serde_json::from_str(case_json)
        .map_err(|e| Error::invalid("demo case.json", e.to_string()))?;
    let plan = Plan::new(&case, sources)?;
    let mut review = Review::create(path, ctx)?;
    match plan.build(&mut review) {
        Ok(()) => Ok(review),
        Err(e) => {
            drop(review);
            for suffix in ["", "-wal", "-shm"] {
                let mut name = path.as_os_str().to_owned();
                name.push(suffix);
                let _ = fs::remove_file(name);
            }
            Err(e)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The case file as written.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    details: DetailsInput,
    agencies: Vec<Keyed<AgencyInput>>,
    people: Vec<Keyed<PersonInput>>,
    panel: Vec<Keyed<PanelMemberInput>>,
    meetings: Vec<MeetingSpec>,
    tor: Vec<Keyed<TorInput>>,
    sources: Vec<SourceSpec>,
    chronology: Vec<ChronologySpec>,
    themes: Vec<Keyed<ThemeInput>>,
    findings: Vec<FindingSpec>,
    recommendations: Vec<RecommendationSpec>,
    sections: Vec<SectionSpec>,
    #[serde(default)]
    comments: Vec<CommentSpec>,
}

/// A record given under a key that other records use to refer to it.
#[derive(Deserialize)]
struct Keyed<T> {
    key: String,
    #[serde(flatten)]
    input: T,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MeetingSpec {
    date: NaiveDate,
    #[serde(default)]
    title: String,
    attendees: Vec<String>,
    #[serde(default)]
    decisions: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceSpec {
    key: String,
    /// The file name among the source texts.
    file: String,
    /// How chronology entries cite it ("Police IMR" gives "Police IMR para 4.2.1").
    locator: String,
    kind: SourceKind,
    agency: Option<String>,
    title: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    independence: String,
    received_date: Option<NaiveDate>,
    #[serde(default)]
    version: String,
    confidence: Confidence,
    #[serde(default)]
    confidence_reason: String,
    #[serde(default)]
    summary: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChronologySpec {
    key: String,
    date: NaiveDate,
    #[serde(default = "day_precision")]
    precision: DatePrecision,
    end_date: Option<NaiveDate>,
    #[serde(default)]
    date_text: String,
    agency: Option<String>,
    #[serde(default)]
    people: Vec<String>,
    event: String,
    /// With `para`: the source paragraph the event is recorded in.
    source: Option<String>,
    para: Option<String>,
    #[serde(default = "routine")]
    significance: Significance,
    #[serde(default)]
    missed_opportunity: bool,
    #[serde(default)]
    missed_rationale: String,
}

fn day_precision() -> DatePrecision {
    DatePrecision::Day
}

fn routine() -> Significance {
    Significance::Routine
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FindingSpec {
    key: String,
    theme: Option<String>,
    kind: FindingKind,
    statement: String,
    #[serde(default)]
    analysis: String,
    #[serde(default)]
    tor: Vec<String>,
    evidence: Vec<EvidenceSpec>,
}

/// Either an excerpt (`source`, `para`, `quote`, optional `key` for citing it) or a
/// chronology entry (`chronology`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceSpec {
    key: Option<String>,
    source: Option<String>,
    para: Option<String>,
    quote: Option<String>,
    chronology: Option<String>,
    #[serde(default = "supports")]
    relation: Relation,
    #[serde(default)]
    note: String,
}

fn supports() -> Relation {
    Relation::Supports
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecommendationSpec {
    key: String,
    origin: Origin,
    origin_agency: Option<String>,
    addressee: Option<String>,
    #[serde(default)]
    owner_role: String,
    text: String,
    /// As people write it: "March 2025", "2024-06-30", "immediately"...
    #[serde(default)]
    due: String,
    #[serde(default)]
    measure: String,
    #[serde(default)]
    board_response: BoardResponse,
    #[serde(default)]
    response_reason: String,
    #[serde(default)]
    findings: Vec<String>,
    actions: Vec<ActionSpec>,
}

#[derive(Deserialize)]
struct ActionSpec {
    #[serde(flatten)]
    input: ActionInput,
    #[serde(default)]
    updates: Vec<UpdateSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateSpec {
    date: NaiveDate,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionSpec {
    document: Document,
    heading: String,
    /// Markdown with `{{kind:key}}` citation placeholders.
    body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommentSpec {
    /// `kind:key`, e.g. `finding:F19`; a section is named by its heading.
    target: String,
    author: String,
    role: String,
    anchor: Option<TextAnchor>,
    body: String,
    #[serde(default)]
    replies: Vec<ReplySpec>,
    #[serde(default)]
    resolved: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplySpec {
    author: String,
    role: String,
    body: String,
}

// ---------------------------------------------------------------------------------------------
// Resolving keys: every reference becomes an index into the list it names.

/// The keys of one kind of record, each mapped to its place in the list.
struct Index<'a> {
    kind: &'static str,
    places: HashMap<&'a str, usize>,
}

impl<'a> Index<'a> {
    fn new(kind: &'static str, keys: impl IntoIterator<Item = &'a str>) -> Result<Self> {
        let mut places = HashMap::new();
        for (i, key) in keys.into_iter().enumerate() {
            if places.insert(key, i).is_some() {
                return Err(bad(
                    &format!("{kind} {key}"),
                    format!("the key '{key}' is used by more than one {kind}"),
                ));
            }
        }
        Ok(Index { kind, places })
    }

    fn get(&self, key: &str, at: &str) -> Result<usize> {
        self.places
            .get(key)
            .copied()
            .ok_or_else(|| bad(at, format!("no {} has the key '{key}'", self.kind)))
    }

    fn opt(&self, key: Option<&str>, at: &str) -> Result<Option<usize>> {
        key.map(|k| self.get(k, at)).transpose()
    }

    fn all(&self, keys: &[String], at: &str) -> Result<Vec<usize>> {
        keys.iter().map(|k| self.get(k, at)).collect()
    }
}

/// A demo content error at `at` ("finding F3", "chronology C12"...).
fn bad(at: &str, message: impl Into<String>) -> Error {
    Error::invalid(format!("demo {at}"), message)
}

/// One source document, split into paragraphs the way the importer splits it.
struct Text<'a> {
    file: &'a str,
    raw: &'a str,
    /// The paragraph labels in document order (`None` for unlabelled paragraphs).
    labels: Vec<Option<String>>,
    texts: Vec<String>,
}

impl Text<'_> {
    /// The index of the paragraph labelled `label`.
    fn paragraph(&self, label: &str, at: &str) -> Result<usize> {
        self.labels
            .iter()
            .position(|l| l.as_deref() == Some(label))
            .ok_or_else(|| {
                bad(
                    at,
                    format!("no paragraph labelled '{label}' in {}", self.file),
                )
            })
    }
}

/// A paragraph by source and place.
#[derive(Clone, Copy)]
struct ParaRef {
    source: usize,
    para: usize,
}

/// One distinct excerpt to make (the same quote backing two findings is one excerpt).
struct ExcerptPlan {
    at: ParaRef,
    quote: String,
    note: String,
}

enum EvidencePlan {
    Excerpt(usize),
    Chronology(usize),
}

/// What a `{{kind:key}}` placeholder resolves to.
#[derive(Clone, Copy)]
enum Cite {
    Finding(usize),
    Excerpt(usize),
    Chronology(usize),
    Recommendation(usize),
    Tor(usize),
    Source(usize),
}

enum Piece {
    Text(String),
    Cite(Cite),
}

/// Everything in the case file, checked and resolved, ready to be written.
struct Plan<'a> {
    case: &'a Case,
    texts: Vec<Text<'a>>,
    source_agency: Vec<Option<usize>>,
    meeting_attendees: Vec<Vec<usize>>,
    chronology: Vec<ChronologyPlan>,
    excerpts: Vec<ExcerptPlan>,
    findings: Vec<FindingPlan>,
    recommendations: Vec<RecommendationPlan>,
    sections: Vec<Vec<Piece>>,
    comments: Vec<(CommentTarget, CommentRef)>,
}

struct ChronologyPlan {
    agency: Option<usize>,
    people: Vec<usize>,
    para: Option<ParaRef>,
}

struct FindingPlan {
    theme: Option<usize>,
    tors: Vec<usize>,
    evidence: Vec<(EvidencePlan, Relation, String)>,
}

struct RecommendationPlan {
    origin_agency: Option<usize>,
    addressee: Option<usize>,
    due: Due,
    findings: Vec<usize>,
}

/// The record a comment is on.
enum CommentRef {
    Cite(Cite),
    Section(usize),
}

impl<'a> Plan<'a> {
    /// Checks the whole case against the texts and resolves every reference.
    fn new(case: &'a Case, files: &'a [(&'a str, &'a str)]) -> Result<Self> {
        let agencies = Index::new("agency", case.agencies.iter().map(|a| a.key.as_str()))?;
        let people = Index::new("person", case.people.iter().map(|p| p.key.as_str()))?;
        let panel = Index::new("panel member", case.panel.iter().map(|p| p.key.as_str()))?;
        let tors = Index::new("term of reference", case.tor.iter().map(|t| t.key.as_str()))?;
        let sources = Index::new("source", case.sources.iter().map(|s| s.key.as_str()))?;
        let chron = Index::new(
            "chronology entry",
            case.chronology.iter().map(|c| c.key.as_str()),
        )?;
        let themes = Index::new("theme", case.themes.iter().map(|t| t.key.as_str()))?;
        let findings = Index::new("finding", case.findings.iter().map(|f| f.key.as_str()))?;
        let recs = Index::new(
            "recommendation",
            case.recommendations.iter().map(|r| r.key.as_str()),
        )?;

        let mut texts = Vec::new();
        let mut source_agency = Vec::new();
        for s in &case.sources {
            let at = format!("source {}", s.key);
            let raw = files
                .iter()
                .find(|(name, _)| *name == s.file)
                .map(|(_, text)| *text)
                .ok_or_else(|| bad(&at, format!("no source text named '{}'", s.file)))?;
            let paras = split_plain_text(raw);
            texts.push(Text {
                file: &s.file,
                raw,
                labels: paras.iter().map(|p| p.label.clone()).collect(),
                texts: paras.into_iter().map(|p| p.text).collect(),
            });
            source_agency.push(agencies.opt(s.agency.as_deref(), &at)?);
        }
        let para_ref =
            |source: Option<&str>, label: Option<&str>, at: &str| -> Result<Option<ParaRef>> {
                match (source, label) {
                    (None, None) => Ok(None),
                    (Some(s), Some(l)) => {
                        let source = sources.get(s, at)?;
                        let para = texts[source].paragraph(l, at)?;
                        Ok(Some(ParaRef { source, para }))
                    }
                    _ => Err(bad(at, "give both 'source' and 'para', or neither")),
                }
            };

        let meeting_attendees = case
            .meetings
            .iter()
            .map(|m| panel.all(&m.attendees, &format!("meeting of {}", m.date)))
            .collect::<Result<Vec<_>>>()?;

        let mut chronology = Vec::new();
        for c in &case.chronology {
            let at = format!("chronology {}", c.key);
            chronology.push(ChronologyPlan {
                agency: agencies.opt(c.agency.as_deref(), &at)?,
                people: people.all(&c.people, &at)?,
                para: para_ref(c.source.as_deref(), c.para.as_deref(), &at)?,
            });
        }

        let mut excerpts: Vec<ExcerptPlan> = Vec::new();
        let mut excerpt_keys: Vec<(&str, usize)> = Vec::new();
        let mut finding_plans = Vec::new();
        for f in &case.findings {
            let at = format!("finding {}", f.key);
            let mut evidence = Vec::new();
            for (n, e) in f.evidence.iter().enumerate() {
                let at = format!("{at} evidence {}", n + 1);
                let target = match (&e.chronology, &e.quote) {
                    (Some(c), None) if e.source.is_none() && e.para.is_none() => {
                        EvidencePlan::Chronology(chron.get(c, &at)?)
                    }
                    (None, Some(quote)) => {
                        let place = para_ref(e.source.as_deref(), e.para.as_deref(), &at)?
                            .ok_or_else(|| bad(&at, "an excerpt needs 'source' and 'para'"))?;
                        let text = &texts[place.source];
                        if quote.is_empty() || !text.texts[place.para].contains(quote.as_str()) {
                            return Err(bad(
                                &at,
                                format!(
                                    "the quote \"{quote}\" is not in paragraph {} of {}",
                                    e.para.as_deref().unwrap_or_default(),
                                    text.file
                                ),
                            ));
                        }
                        let existing = excerpts.iter().position(|x| {
                            x.at.source == place.source
                                && x.at.para == place.para
                                && x.quote == *quote
                        });
                        let i = existing.unwrap_or_else(|| {
                            excerpts.push(ExcerptPlan {
                                at: place,
                                quote: quote.clone(),
                                note: String::new(),
                            });
                            excerpts.len() - 1
                        });
                        if let Some(key) = &e.key {
                            if excerpt_keys.iter().any(|(k, _)| k == key) {
                                return Err(bad(
                                    &at,
                                    format!("the key '{key}' is used by more than one excerpt"),
                                ));
                            }
                            excerpt_keys.push((key, i));
                        }
                        EvidencePlan::Excerpt(i)
                    }
                    _ => {
                        return Err(bad(
                            &at,
                            "evidence is either a quote (source, para, quote) or a chronology key",
                        ))
                    }
                };
                evidence.push((target, e.relation, e.note.clone()));
            }
            if evidence.is_empty() {
                return Err(bad(&at, "a finding needs at least one piece of evidence"));
            }
            finding_plans.push(FindingPlan {
                theme: themes.opt(f.theme.as_deref(), &at)?,
                tors: tors.all(&f.tor, &at)?,
                evidence,
            });
        }
        let excerpt_index = Index {
            kind: "excerpt",
            places: excerpt_keys.into_iter().collect(),
        };

        let mut rec_plans = Vec::new();
        for r in &case.recommendations {
            let at = format!("recommendation {}", r.key);
            let due = Due::parse(&r.due).map_err(|e| bad(&at, e.to_string()))?;
            rec_plans.push(RecommendationPlan {
                origin_agency: agencies.opt(r.origin_agency.as_deref(), &at)?,
                addressee: agencies.opt(r.addressee.as_deref(), &at)?,
                due,
                findings: findings.all(&r.findings, &at)?,
            });
        }

        let cite = |kind: &str, key: &str, at: &str| -> Result<Cite> {
            Ok(match kind {
                "finding" => Cite::Finding(findings.get(key, at)?),
                "excerpt" => Cite::Excerpt(excerpt_index.get(key, at)?),
                "chronology" => Cite::Chronology(chron.get(key, at)?),
                "recommendation" => Cite::Recommendation(recs.get(key, at)?),
                "tor" => Cite::Tor(tors.get(key, at)?),
                "source" => Cite::Source(sources.get(key, at)?),
                other => {
                    return Err(bad(
                        at,
                        format!("'{other}' is not a kind that can be cited"),
                    ))
                }
            })
        };

        let mut sections = Vec::new();
        for s in &case.sections {
            let at = format!("section '{}'", s.heading);
            sections.push(placeholders(&s.body, &at, &cite)?);
        }

        let mut comments = Vec::new();
        for c in &case.comments {
            let at = format!("comment on {}", c.target);
            let (kind, key) = c
                .target
                .split_once(':')
                .ok_or_else(|| bad(&at, "write the target as kind:key"))?;
            let target = CommentTarget::parse(kind).ok_or_else(|| {
                bad(
                    &at,
                    format!("'{kind}' is not a kind of record comments can be on"),
                )
            })?;
            let reference = if target == CommentTarget::Section {
                let i = case
                    .sections
                    .iter()
                    .position(|s| s.heading == key)
                    .ok_or_else(|| bad(&at, format!("no section has the heading '{key}'")))?;
                CommentRef::Section(i)
            } else {
                CommentRef::Cite(cite(kind, key, &at)?)
            };
            comments.push((target, reference));
        }

        Ok(Plan {
            case,
            texts,
            source_agency,
            meeting_attendees,
            chronology,
            excerpts,
            findings: finding_plans,
            recommendations: rec_plans,
            sections,
            comments,
        })
    }

    /// Writes everything into `review`, one public model call at a time.
    fn build(&self, review: &mut Review) -> Result<()> {
        let case = self.case;
        review.update_details(case.details.clone())?;

        let mut agencies = Vec::new();
        for a in &case.agencies {
            agencies.push(review.add_agency(a.input.clone())?.id);
        }
        let agency = |i: Option<usize>| i.map(|i| agencies[i].clone());
        let mut people = Vec::new();
        for p in &case.people {
            people.push(review.add_person(p.input.clone())?.id);
        }
        let mut panel = Vec::new();
        for m in &case.panel {
            panel.push(review.add_panel_member(m.input.clone())?.id);
        }
        for (m, attendees) in case.meetings.iter().zip(&self.meeting_attendees) {
            review.add_meeting(MeetingInput {
                date: m.date,
                title: m.title.clone(),
                attendees: attendees.iter().map(|&i| panel[i].clone()).collect(),
                decisions: m.decisions.clone(),
            })?;
        }
        let mut tors = Vec::new();
        for t in &case.tor {
            tors.push(review.add_tor(t.input.clone())?.id);
        }

        // Sources, and the stored paragraphs of each in document order.
        let mut sources = Vec::new();
        let mut paragraphs: Vec<Vec<(String, String)>> = Vec::new();
        for ((s, text), agency_index) in case
            .sources
            .iter()
            .zip(&self.texts)
            .zip(&self.source_agency)
        {
            let input = SourceInput {
                kind: s.kind,
                agency_id: agency(*agency_index),
                title: s.title.clone(),
                author: s.author.clone(),
                independence: s.independence.clone(),
                received_date: s.received_date,
                version: s.version.clone(),
                confidence: s.confidence,
                confidence_reason: s.confidence_reason.clone(),
                summary: s.summary.clone(),
            };
            let source = review.import_text_as(input, text.raw, false)?;
            let stored = review.paragraphs(&source.id, 0, usize::MAX)?;
            if stored.len() != text.texts.len() {
                return Err(bad(
                    &format!("source {}", s.key),
                    format!(
                        "{} was split into {} paragraphs but {} were stored",
                        text.file,
                        text.texts.len(),
                        stored.len()
                    ),
                ));
            }
            paragraphs.push(stored.into_iter().map(|p| (p.id, p.text)).collect());
            sources.push(source.id);
        }

        let mut chronology = Vec::new();
        for (c, plan) in case.chronology.iter().zip(&self.chronology) {
            let (source_id, paragraph_id, locator) = match plan.para {
                Some(at) => (
                    Some(sources[at.source].clone()),
                    Some(paragraphs[at.source][at.para].0.clone()),
                    format!(
                        "{} para {}",
                        case.sources[at.source].locator,
                        self.texts[at.source].labels[at.para]
                            .as_deref()
                            .unwrap_or_default()
                    ),
                ),
                None => (None, None, String::new()),
            };
            let entry = review.add_chronology_entry(ChronologyInput {
                date: c.date,
                precision: c.precision,
                end_date: c.end_date,
                date_text: c.date_text.clone(),
                agency_id: agency(plan.agency),
                people: plan.people.iter().map(|&i| people[i].clone()).collect(),
                event: c.event.clone(),
                source_locator: locator,
                source_id,
                paragraph_id,
                significance: c.significance,
                missed_opportunity: c.missed_opportunity,
                missed_rationale: c.missed_rationale.clone(),
            })?;
            chronology.push(entry.id);
        }

        let mut excerpts = Vec::new();
        for x in &self.excerpts {
            let (id, text) = &paragraphs[x.at.source][x.at.para];
            let byte = text.find(x.quote.as_str()).ok_or_else(|| {
                bad(
                    &format!("source {}", case.sources[x.at.source].key),
                    format!("the stored paragraph no longer holds \"{}\"", x.quote),
                )
            })?;
            let start = text[..byte].chars().count();
            let end = start + x.quote.chars().count();
            excerpts.push(review.add_excerpt(id, start, end, &x.note)?.id);
        }

        let mut themes = Vec::new();
        for t in &case.themes {
            themes.push(review.add_theme(t.input.clone())?.id);
        }

        let mut findings = Vec::new();
        for (f, plan) in case.findings.iter().zip(&self.findings) {
            let finding = review.add_finding(FindingInput {
                theme_id: plan.theme.map(|i| themes[i].clone()),
                kind: f.kind,
                statement: f.statement.clone(),
                analysis: f.analysis.clone(),
            })?;
            let tor_ids: Vec<String> = plan.tors.iter().map(|&i| tors[i].clone()).collect();
            review.set_finding_tors(&finding.id, &tor_ids)?;
            for (target, relation, note) in &plan.evidence {
                let target = match target {
                    EvidencePlan::Excerpt(i) => EvidenceTarget::Excerpt(excerpts[*i].clone()),
                    EvidencePlan::Chronology(i) => {
                        EvidenceTarget::Chronology(chronology[*i].clone())
                    }
                };
                review.link_evidence(&finding.id, target, *relation, note)?;
            }
            findings.push(finding.id);
        }

        let mut recommendations = Vec::new();
        for (r, plan) in case.recommendations.iter().zip(&self.recommendations) {
            let rec = review.add_recommendation(RecommendationInput {
                origin: r.origin,
                origin_agency_id: agency(plan.origin_agency),
                addressee_agency_id: agency(plan.addressee),
                owner_role: r.owner_role.clone(),
                text: r.text.clone(),
                due: plan.due,
                measure: r.measure.clone(),
                board_response: r.board_response,
                response_reason: r.response_reason.clone(),
            })?;
            let linked: Vec<String> = plan.findings.iter().map(|&i| findings[i].clone()).collect();
            review.set_recommendation_findings(&rec.id, &linked)?;
            for a in &r.actions {
                let action = review.add_action(&rec.id, a.input.clone())?;
                for u in &a.updates {
                    review.add_action_update(&action.id, u.date, &u.text)?;
                }
            }
            recommendations.push(rec.id);
        }

        let id_of = |c: Cite| -> (&'static str, &str) {
            match c {
                Cite::Finding(i) => ("finding", &findings[i]),
                Cite::Excerpt(i) => ("excerpt", &excerpts[i]),
                Cite::Chronology(i) => ("chronology", &chronology[i]),
                Cite::Recommendation(i) => ("recommendation", &recommendations[i]),
                Cite::Tor(i) => ("tor", &tors[i]),
                Cite::Source(i) => ("source", &sources[i]),
            }
        };
        let mut sections = Vec::new();
        for (s, pieces) in case.sections.iter().zip(&self.sections) {
            let mut body = String::with_capacity(s.body.len() + 64);
            for piece in pieces {
                match piece {
                    Piece::Text(t) => body.push_str(t),
                    Piece::Cite(c) => {
                        let (kind, id) = id_of(*c);
                        body.push_str(&format!("[[{kind}:{id}]]"));
                    }
                }
            }
            let section = review.add_section(SectionInput {
                document: s.document,
                heading: s.heading.clone(),
                body,
            })?;
            sections.push(section.id);
        }

        // Comments carry their authors, so the review's actor is switched for each and put
        // back afterwards.
        let actor = review.actor().clone();
        let result = (|| {
            for (c, (target, reference)) in case.comments.iter().zip(&self.comments) {
                let target_id = match reference {
                    CommentRef::Section(i) => sections[*i].as_str(),
                    CommentRef::Cite(cite) => id_of(*cite).1,
                };
                review.set_actor(Actor {
                    name: c.author.clone(),
                    role: c.role.clone(),
                });
                let comment = review.add_comment(*target, target_id, c.anchor.clone(), &c.body)?;
                for r in &c.replies {
                    review.set_actor(Actor {
                        name: r.author.clone(),
                        role: r.role.clone(),
                    });
                    review.reply(&comment.id, &r.body)?;
                }
                if c.resolved {
                    review.resolve_comment(&comment.id, true)?;
                }
            }
            Ok(())
        })();
        review.set_actor(actor);
        result
    }
}

/// Splits a body into text and resolved `{{kind:key}}` placeholders.
fn placeholders(
    body: &str,
    at: &str,
    cite: &dyn Fn(&str, &str, &str) -> Result<Cite>,
) -> Result<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut rest = body;
    while let Some(open) = rest.find("{{") {
        pieces.push(Piece::Text(rest[..open].to_owned()));
        let after = &rest[open + 2..];
        let close = after
            .find("}}")
            .ok_or_else(|| bad(at, "a '{{' placeholder is never closed"))?;
        let inner = &after[..close];
        let (kind, key) = inner
            .split_once(':')
            .ok_or_else(|| bad(at, format!("'{{{{{inner}}}}}' is not kind:key")))?;
        pieces.push(Piece::Cite(cite(kind.trim(), key.trim(), at)?));
        rest = &after[close + 2..];
    }
    if rest.contains("}}") {
        return Err(bad(at, "a '}}' has no opening '{{'"));
    }
    pieces.push(Piece::Text(rest.to_owned()));
    Ok(pieces)
}
