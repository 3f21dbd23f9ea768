//! The links between records, read as a reviewer asks about them: what evidence lies behind a
//! finding, what cites a document or a quote, which terms of reference have findings,
//! evidence and recommendations behind them (and which have none: the gaps), and which
//! findings and terms of reference a recommendation answers.
//!
//! Everything here only reads. The coverage and trace queries load each kind of link with one
//! set-based query and join them in memory, so their cost does not grow with one query per row.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::chronology::CHRONOLOGY_ORDER;
use crate::model::sections::citations;
use crate::model::text_enum;
use crate::review::Review;
use crate::search::{display_date, document_name};

/// One piece of evidence behind a finding, with what it is and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct EvidenceView {
    /// The evidence link's id.
    pub id: String,
    /// The finding it backs.
    pub finding_id: String,
    /// How the evidence bears on the finding: supports, contradicts or context.
    pub relation: String,
    /// The author's note on the link.
    pub note: String,
    /// The quoted excerpt, when the evidence is one.
    pub excerpt: Option<ExcerptView>,
    /// The chronology entry, when the evidence is one.
    pub chronology: Option<ChronologyView>,
    /// Where the evidence is, as one line: "Police IMR ¶4.2" or "Chronology 12/03/2021".
    pub label: String,
}

/// An excerpt as evidence shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ExcerptView {
    pub id: String,
    /// The quoted words.
    pub quote: String,
    pub source_id: String,
    pub source_title: String,
    pub paragraph_id: String,
    /// The paragraph's order within its source.
    pub paragraph_seq: i64,
    /// The document's own paragraph label, when it has one.
    pub paragraph_label: Option<String>,
}

/// A chronology entry as evidence shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ChronologyView {
    pub id: String,
    pub date: NaiveDate,
    /// day, month, year or approximate.
    pub precision: String,
    /// The date as the document wrote it.
    pub date_text: String,
    pub event: String,
    pub agency_id: Option<String>,
}

text_enum! {
    /// The kinds of record whose citations can be listed.
    CitedKind {
        Source = "source", Paragraph = "paragraph", Excerpt = "excerpt",
        Chronology = "chronology", Finding = "finding", Recommendation = "recommendation",
        Tor = "tor",
    }
}

impl CitedKind {
    /// Reads a kind as citations (`chronology`, `tor`) or the search index
    /// (`chronology_entry`, `tor_item`) name it.
    pub fn from_kind(kind: &str) -> Option<CitedKind> {
        match kind {
            "chronology_entry" => Some(CitedKind::Chronology),
            "tor_item" => Some(CitedKind::Tor),
            other => CitedKind::parse(other),
        }
    }

    /// The kind's name in the search index and in [`Review::locate`].
    fn index_kind(self) -> &'static str {
        match self {
            CitedKind::Chronology => "chronology_entry",
            CitedKind::Tor => "tor_item",
            other => other.as_str(),
        }
    }

    /// The table holding records of this kind, and the name errors use.
    fn table(self) -> (&'static str, &'static str) {
        match self {
            CitedKind::Source => ("source", "source"),
            CitedKind::Paragraph => ("paragraph", "paragraph"),
            CitedKind::Excerpt => ("excerpt", "excerpt"),
            CitedKind::Chronology => ("chronology_entry", "chronology entry"),
            CitedKind::Finding => ("finding", "finding"),
            CitedKind::Recommendation => ("recommendation", "recommendation"),
            CitedKind::Tor => ("tor_item", "term of reference"),
        }
    }
}

/// Everything that cites one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Citations {
    pub kind: CitedKind,
    pub id: String,
    /// The cited record as a reader names it: "F3", "Police IMR ¶4.2", "Chronology 12/03/2021".
    pub label: String,
    /// The citing records: findings, recommendations, chronology entries, report sections and
    /// comments, in that order.
    pub citing: Vec<Citing>,
}

/// One record that cites another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Citing {
    /// finding, recommendation, chronology_entry, section or comment.
    pub kind: String,
    pub id: String,
    /// "F3", "R2", "Overview report: Analysis", "Comment by Jo Smith (chair)".
    pub label: String,
    /// Through what it cites, when that is a part of the record asked about (an excerpt of a
    /// source, a chronology entry drawn from it) or a relation: "supports: Chronology 12/03/2021".
    pub via: Vec<String>,
}

/// A finding as the coverage matrix and traces show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct FindingRef {
    pub id: String,
    /// The F-number.
    pub number: i64,
    pub statement: String,
    /// How many evidence links back it.
    pub evidence_count: usize,
    /// The recommendations that answer it, by number.
    pub recommendations: Vec<RecRef>,
}

/// A recommendation named by its number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct RecRef {
    /// The R-number.
    pub number: i64,
    pub id: String,
}

/// A term of reference named by its number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct TorRef {
    pub id: String,
    /// The ToR number.
    pub number: i64,
    pub text: String,
}

/// One row of the coverage matrix: a term of reference and what answers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct TorCoverage {
    pub tor_id: String,
    /// The ToR number.
    pub number: i64,
    /// generic or case_specific.
    pub kind: String,
    pub text: String,
    /// The reason, when the panel put the item out of scope.
    pub out_of_scope: Option<String>,
    /// The findings linked to the item, by number; empty for a gap.
    pub findings: Vec<FindingRef>,
    /// Evidence links behind those findings.
    pub evidence_count: usize,
    /// The recommendations that answer those findings, by number, each once.
    pub recommendations: Vec<RecRef>,
}

/// A recommendation with the findings it answers and the terms of reference behind them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct RecommendationTrace {
    pub recommendation: RecRef,
    /// The recommendation's text.
    pub text: String,
    /// Its linked findings, by number.
    pub findings: Vec<FindingRef>,
    /// The terms of reference those findings answer, by number, each once.
    pub tor_items: Vec<TorRef>,
}

/// Every finding, recommendation link and ToR link, loaded once for the matrix and traces.
struct Graph {
    findings: HashMap<String, FindingRef>,
    /// finding id → ToR ids.
    finding_tors: HashMap<String, Vec<String>>,
    /// ToR id → finding ids.
    tor_findings: HashMap<String, Vec<String>>,
    /// recommendation id → finding ids.
    rec_findings: HashMap<String, Vec<String>>,
    tors: HashMap<String, TorRef>,
}

impl Graph {
    /// The findings with these ids, by number.
    fn findings_of(&self, ids: Option<&Vec<String>>) -> Vec<FindingRef> {
        let mut out: Vec<FindingRef> = ids
            .into_iter()
            .flatten()
            .filter_map(|id| self.findings.get(id).cloned())
            .collect();
        out.sort_by(|a, b| a.number.cmp(&b.number).then_with(|| a.id.cmp(&b.id)));
        out.dedup_by(|a, b| a.id == b.id);
        out
    }
}

impl Review {
    /// The evidence behind a finding, in the order it was linked.
    pub fn evidence_for_finding(&self, finding_id: &str) -> Result<Vec<EvidenceView>> {
        self.require(CitedKind::Finding, finding_id)?;
        let mut stmt = self.db().prepare_cached(
            "SELECT l.id, l.relation, l.note,
                    e.id, e.quote, e.source_id, s.title, e.paragraph_id, p.seq, p.label,
                    c.id, c.date, c.precision, c.date_text, c.event, c.agency_id
             FROM evidence_link l
             LEFT JOIN excerpt e ON e.id = l.excerpt_id
             LEFT JOIN source s ON s.id = e.source_id
             LEFT JOIN paragraph p ON p.id = e.paragraph_id
             LEFT JOIN chronology_entry c ON c.id = l.chronology_id
             WHERE l.finding_id = ?1
             ORDER BY l.rid",
        )?;
        let rows = stmt
            .query_map([finding_id], |r| {
                let excerpt = match r.get::<_, Option<String>>(3)? {
                    Some(id) => Some(ExcerptView {
                        id,
                        quote: r.get(4)?,
                        source_id: r.get(5)?,
                        source_title: r.get(6)?,
                        paragraph_id: r.get(7)?,
                        paragraph_seq: r.get(8)?,
                        paragraph_label: r.get(9)?,
                    }),
                    None => None,
                };
                let chronology = match r.get::<_, Option<String>>(10)? {
                    Some(id) => Some(ChronologyView {
                        id,
                        date: r.get(11)?,
                        precision: r.get(12)?,
                        date_text: r.get(13)?,
                        event: r.get(14)?,
                        agency_id: r.get(15)?,
                    }),
                    None => None,
                };
                let label = match (&excerpt, &chronology) {
                    (Some(e), _) => crate::search::paragraph_label(
                        &e.source_title,
                        e.paragraph_seq,
                        e.paragraph_label.as_deref(),
                    ),
                    (None, Some(c)) => format!(
                        "Chronology {}",
                        display_date(&c.date.to_string(), &c.precision)
                    ),
                    (None, None) => String::new(),
                };
                Ok(EvidenceView {
                    id: r.get(0)?,
                    finding_id: finding_id.to_owned(),
                    relation: r.get(1)?,
                    note: r.get(2)?,
                    excerpt,
                    chronology,
                    label,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Everything that cites record `id` of `kind`. For a source or a paragraph this takes in
    /// what cites its excerpts and the chronology entries drawn from it.
    pub fn citations_of(&self, kind: CitedKind, id: &str) -> Result<Citations> {
        self.require(kind, id)?;
        let db = self.db();
        let ids_where = |sql: &str| -> Result<Vec<String>> {
            let ids = db
                .prepare_cached(sql)?
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(ids)
        };
        // The parts of the record that others may cite in its place.
        let (excerpts, chronology, paragraphs) = match kind {
            CitedKind::Source => (
                ids_where("SELECT id FROM excerpt WHERE source_id = ?1 ORDER BY rid")?,
                ids_where(&format!(
                    "SELECT id FROM chronology_entry WHERE source_id = ?1 ORDER BY {CHRONOLOGY_ORDER}"
                ))?,
                ids_where("SELECT id FROM paragraph WHERE source_id = ?1 ORDER BY seq")?,
            ),
            CitedKind::Paragraph => (
                ids_where("SELECT id FROM excerpt WHERE paragraph_id = ?1 ORDER BY rid")?,
                ids_where(&format!(
                    "SELECT id FROM chronology_entry WHERE paragraph_id = ?1
                     ORDER BY {CHRONOLOGY_ORDER}"
                ))?,
                Vec::new(),
            ),
            CitedKind::Excerpt => (vec![id.to_owned()], Vec::new(), Vec::new()),
            CitedKind::Chronology => (Vec::new(), vec![id.to_owned()], Vec::new()),
            _ => (Vec::new(), Vec::new(), Vec::new()),
        };

        let mut citing: Vec<Citing> = Vec::new();
        let mut add = |kind: &str, id: String, label: String, via: Option<String>| match citing
            .iter_mut()
            .find(|c| c.kind == kind && c.id == id)
        {
            Some(c) => c.via.extend(via),
            None => citing.push(Citing {
                kind: kind.to_owned(),
                id,
                label,
                via: via.into_iter().collect(),
            }),
        };

        // Findings, through evidence links (or, for a ToR item, through the finding's links).
        let mut findings: Vec<(i64, String, String)> = Vec::new();
        for (parts, column, part_kind) in [
            (&excerpts, "excerpt_id", "excerpt"),
            (&chronology, "chronology_id", "chronology_entry"),
        ] {
            let mut stmt = db.prepare_cached(&format!(
                "SELECT f.number, f.id, l.relation
                 FROM evidence_link l JOIN finding f ON f.id = l.finding_id
                 WHERE l.{column} = ?1 ORDER BY l.rid"
            ))?;
            for part in parts {
                let rows: Vec<(i64, String, String)> = stmt
                    .query_map([part], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                if rows.is_empty() {
                    continue;
                }
                let part_label = self.locate(part_kind, part)?.label;
                for (number, fid, relation) in rows {
                    findings.push((number, fid, format!("{relation}: {part_label}")));
                }
            }
        }
        if kind == CitedKind::Tor {
            let mut stmt = db.prepare_cached(
                "SELECT f.number, f.id FROM finding_tor ft JOIN finding f ON f.id = ft.finding_id
                 WHERE ft.tor_id = ?1",
            )?;
            let rows: Vec<(i64, String)> = stmt
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            findings.extend(
                rows.into_iter()
                    .map(|(n, f)| (n, f, "answers this term of reference".to_owned())),
            );
        }
        findings.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        for (number, fid, via) in findings {
            add("finding", fid, format!("F{number}"), Some(via));
        }

        // Recommendations that answer a finding.
        if kind == CitedKind::Finding {
            let rows: Vec<(i64, String)> = db
                .prepare_cached(
                    "SELECT r.number, r.id FROM recommendation_finding rf
                     JOIN recommendation r ON r.id = rf.recommendation_id
                     WHERE rf.finding_id = ?1 ORDER BY r.number, r.id",
                )?
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (number, rid) in rows {
                add("recommendation", rid, format!("R{number}"), None);
            }
        }

        // Chronology entries drawn from a source or paragraph cite it.
        if matches!(kind, CitedKind::Source | CitedKind::Paragraph) {
            for cid in &chronology {
                let label = self.locate("chronology_entry", cid)?.label;
                add("chronology_entry", cid.clone(), label, None);
            }
        }

        // Report sections, through their citation tokens.
        let mut wanted: HashMap<&str, &'static str> = HashMap::new();
        wanted.insert(id, kind.index_kind());
        for e in &excerpts {
            wanted.insert(e, "excerpt");
        }
        for c in &chronology {
            wanted.insert(c, "chronology_entry");
        }
        for p in &paragraphs {
            wanted.insert(p, "paragraph");
        }
        let sections: Vec<(String, String, String, String)> = db
            .prepare_cached(
                "SELECT id, document, heading, body FROM section
                 ORDER BY document = 'summary', position, rid",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (sid, document, heading, body) in sections {
            let mut seen = HashSet::new();
            for citation in citations(&body) {
                let cited = citation.id.as_str();
                let Some(part_kind) = wanted.get(cited) else {
                    continue;
                };
                if !seen.insert(cited.to_owned()) {
                    continue;
                }
                let via = (cited != id)
                    .then(|| self.locate(part_kind, cited))
                    .transpose()?;
                add(
                    "section",
                    sid.clone(),
                    format!("{}: {heading}", document_name(&document)),
                    via.map(|l| l.label),
                );
            }
        }

        // Comments on the record or on its parts.
        // Comments name their target's kind as citations do, so the (kind, id) index serves.
        let mut stmt = db.prepare_cached(
            "SELECT id, author, role, created_at, rid FROM comment
             WHERE target_kind = ?1 AND target_id = ?2",
        )?;
        let mut comments: Vec<(String, i64, String, String, String, Option<String>)> = Vec::new();
        let targets = std::iter::once((id, kind.as_str(), None)).chain(
            excerpts
                .iter()
                .map(|e| (e.as_str(), "excerpt", Some("excerpt")))
                .chain(
                    chronology
                        .iter()
                        .map(|c| (c.as_str(), "chronology", Some("chronology_entry"))),
                )
                .chain(
                    paragraphs
                        .iter()
                        .map(|p| (p.as_str(), "paragraph", Some("paragraph"))),
                ),
        );
        for (target, target_kind, part_kind) in targets {
            let rows: Vec<(String, String, String, String, i64)> = stmt
                .query_map(params![target_kind, target], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            if rows.is_empty() {
                continue;
            }
            let via = part_kind
                .map(|k| self.locate(k, target))
                .transpose()?
                .map(|l| l.label);
            for (cid, author, role, at, rid) in rows {
                comments.push((at, rid, cid, author, role, via.clone()));
            }
        }
        comments.sort();
        for (_, _, cid, author, role, via) in comments {
            add("comment", cid, format!("Comment by {author} ({role})"), via);
        }

        Ok(Citations {
            kind,
            id: id.to_owned(),
            label: self.locate(kind.index_kind(), id)?.label,
            citing,
        })
    }

    /// The coverage matrix: every term of reference in order, with the findings linked to it,
    /// the evidence behind them and the recommendations that answer them. Items nothing
    /// answers appear with empty lists.
    pub fn tor_coverage(&self) -> Result<Vec<TorCoverage>> {
        let graph = self.link_graph()?;
        let rows: Vec<(String, i64, String, String, Option<String>)> = self
            .db()
            .prepare_cached(
                "SELECT id, number, kind, text, out_of_scope_reason FROM tor_item
                 ORDER BY position, rid",
            )?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows
            .into_iter()
            .map(|(tor_id, number, kind, text, out_of_scope)| {
                let findings = graph.findings_of(graph.tor_findings.get(&tor_id));
                let evidence_count = findings.iter().map(|f| f.evidence_count).sum();
                let mut recommendations: Vec<RecRef> = findings
                    .iter()
                    .flat_map(|f| f.recommendations.iter().cloned())
                    .collect();
                recommendations.sort();
                recommendations.dedup();
                TorCoverage {
                    tor_id,
                    number,
                    kind,
                    text,
                    out_of_scope,
                    findings,
                    evidence_count,
                    recommendations,
                }
            })
            .collect())
    }

    /// One recommendation with the findings it answers and the terms of reference behind them.
    pub fn recommendation_trace(&self, recommendation_id: &str) -> Result<RecommendationTrace> {
        self.require(CitedKind::Recommendation, recommendation_id)?;
        let graph = self.link_graph()?;
        let (number, text): (i64, String) = self.db().query_row(
            "SELECT number, text FROM recommendation WHERE id = ?1",
            [recommendation_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(trace(&graph, recommendation_id.to_owned(), number, text))
    }

    /// Every recommendation's trace, in recommendation order.
    pub fn recommendation_traces(&self) -> Result<Vec<RecommendationTrace>> {
        let graph = self.link_graph()?;
        let recs: Vec<(String, i64, String)> = self
            .db()
            .prepare_cached("SELECT id, number, text FROM recommendation ORDER BY position, rid")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(recs
            .into_iter()
            .map(|(id, number, text)| trace(&graph, id, number, text))
            .collect())
    }

    /// Loads findings, evidence counts and every finding link with one query each.
    fn link_graph(&self) -> Result<Graph> {
        let db = self.db();
        let counts: HashMap<String, usize> = db
            .prepare_cached("SELECT finding_id, count(*) FROM evidence_link GROUP BY finding_id")?
            .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?
            .collect::<rusqlite::Result<_>>()?;

        let mut rec_findings: HashMap<String, Vec<String>> = HashMap::new();
        let mut finding_recs: HashMap<String, Vec<RecRef>> = HashMap::new();
        let links: Vec<(String, String, i64)> = db
            .prepare_cached(
                "SELECT rf.recommendation_id, rf.finding_id, r.number
                 FROM recommendation_finding rf
                 JOIN recommendation r ON r.id = rf.recommendation_id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (rec, finding, number) in links {
            rec_findings
                .entry(rec.clone())
                .or_default()
                .push(finding.clone());
            finding_recs
                .entry(finding)
                .or_default()
                .push(RecRef { number, id: rec });
        }

        let mut findings: HashMap<String, FindingRef> = HashMap::new();
        let rows: Vec<(String, i64, String)> = db
            .prepare_cached("SELECT id, number, statement FROM finding")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, number, statement) in rows {
            let mut recommendations = finding_recs.remove(&id).unwrap_or_default();
            recommendations.sort();
            recommendations.dedup();
            findings.insert(
                id.clone(),
                FindingRef {
                    evidence_count: counts.get(&id).copied().unwrap_or(0),
                    id,
                    number,
                    statement,
                    recommendations,
                },
            );
        }

        let mut finding_tors: HashMap<String, Vec<String>> = HashMap::new();
        let mut tor_findings: HashMap<String, Vec<String>> = HashMap::new();
        let pairs: Vec<(String, String)> = db
            .prepare_cached("SELECT finding_id, tor_id FROM finding_tor")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (finding, tor) in pairs {
            finding_tors
                .entry(finding.clone())
                .or_default()
                .push(tor.clone());
            tor_findings.entry(tor).or_default().push(finding);
        }

        let tors: HashMap<String, TorRef> = db
            .prepare_cached("SELECT id, number, text FROM tor_item")?
            .query_map([], |r| {
                let id: String = r.get(0)?;
                Ok((
                    id.clone(),
                    TorRef {
                        id,
                        number: r.get(1)?,
                        text: r.get(2)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;

        Ok(Graph {
            findings,
            finding_tors,
            tor_findings,
            rec_findings,
            tors,
        })
    }

    /// Fails with `NotFound` unless record `id` of `kind` exists.
    fn require(&self, kind: CitedKind, id: &str) -> Result<()> {
        let (table, name) = kind.table();
        let found = self
            .db()
            .prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?
            .query_row(params![id], |_| Ok(()))
            .optional()?;
        found.ok_or_else(|| Error::NotFound {
            kind: name,
            id: id.to_owned(),
        })
    }
}

/// Builds one recommendation's trace from the loaded links.
fn trace(graph: &Graph, id: String, number: i64, text: String) -> RecommendationTrace {
    let findings = graph.findings_of(graph.rec_findings.get(&id));
    let mut tors: BTreeMap<(i64, String), TorRef> = BTreeMap::new();
    for f in &findings {
        for tor in graph.finding_tors.get(&f.id).into_iter().flatten() {
            if let Some(t) = graph.tors.get(tor) {
                tors.insert((t.number, t.id.clone()), t.clone());
            }
        }
    }
    RecommendationTrace {
        recommendation: RecRef { number, id },
        text,
        findings,
        tor_items: tors.into_values().collect(),
    }
}
