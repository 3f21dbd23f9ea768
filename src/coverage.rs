//! The coverage matrix: each term of reference with the findings that answer it, the evidence
//! behind each finding (excerpts and chronology entries) and the recommendations those findings
//! led to, with totals. It is both a view in the app and an appendix table in the exports
//! ([`CoverageMatrix::to_table`]).

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::links::RecRef;
use crate::model::tor::TorKind;
use crate::review::Review;

/// A finding as one row of the matrix shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CoverageFinding {
    /// The finding's id.
    pub id: String,
    /// The F-number.
    pub number: i64,
    /// The finding's statement, which serves as its title.
    pub title: String,
    /// Excerpts linked as evidence.
    pub excerpts: usize,
    /// Chronology entries linked as evidence.
    pub chronology: usize,
    /// All evidence links: excerpts plus chronology entries.
    pub evidence_count: usize,
    /// The recommendations linked to the finding, by number.
    pub recommendations: Vec<RecRef>,
}

/// One term of reference and what answers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CoverageRow {
    /// The term of reference's id.
    pub tor_id: String,
    /// The ToR number.
    pub number: i64,
    /// The question as the panel wrote it.
    pub text: String,
    /// Generic or case-specific.
    pub kind: TorKind,
    /// The panel's reason, when the item is out of the review's scope.
    pub out_of_scope_reason: Option<String>,
    /// The findings that answer the item, by F-number; empty when none does.
    pub findings: Vec<CoverageFinding>,
    /// Evidence links behind those findings, summed.
    pub evidence_count: usize,
    /// The recommendations linked to those findings, by number, each once.
    pub recommendations: Vec<RecRef>,
    /// True when at least one finding answers the item.
    pub covered: bool,
}

/// Counts over the whole matrix; each finding, evidence link and recommendation once.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CoverageTotals {
    /// Terms of reference in all.
    pub tor_items: usize,
    /// Items answered by at least one finding.
    pub covered: usize,
    /// Items marked out of scope.
    pub out_of_scope: usize,
    /// Items neither answered nor out of scope: the gaps.
    pub gaps: usize,
    /// Distinct findings answering any item.
    pub findings: usize,
    /// Findings that answer no term of reference.
    pub findings_without_tor: usize,
    /// Distinct evidence links behind the findings answering any item.
    pub evidence: usize,
    /// Distinct recommendations linked to those findings.
    pub recommendations: usize,
}

/// Terms of reference × findings × evidence × recommendations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct CoverageMatrix {
    /// One row per term of reference, in ToR order.
    pub rows: Vec<CoverageRow>,
    /// Counts over all the rows.
    pub totals: CoverageTotals,
}

impl CoverageRow {
    /// The row's state in words: "Covered", "Out of scope: …" or "Not answered".
    pub fn status(&self) -> String {
        match (&self.out_of_scope_reason, self.covered) {
            (Some(reason), _) => format!("Out of scope: {reason}"),
            (None, true) => "Covered".into(),
            (None, false) => "Not answered".into(),
        }
    }
}

/// "R1, R3" for a list of recommendations.
fn rec_numbers(recs: &[RecRef]) -> String {
    recs.iter()
        .map(|r| format!("R{}", r.number))
        .collect::<Vec<_>>()
        .join(", ")
}

impl CoverageMatrix {
    /// The matrix as a table for export, header row first, then one row per term of
    /// reference: number, text, kind, findings ("F1 statement" one per line), evidence count,
    /// recommendations ("R1, R3") and status.
    pub fn to_table(&self) -> Vec<Vec<String>> {
        let mut table = vec![[
            "ToR",
            "Term of reference",
            "Type",
            "Findings",
            "Evidence",
            "Recommendations",
            "Status",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect()];
        for row in &self.rows {
            let kind = match row.kind {
                TorKind::Generic => "Generic",
                TorKind::CaseSpecific => "Case-specific",
            };
            let findings = row
                .findings
                .iter()
                .map(|f| format!("F{} {}", f.number, f.title))
                .collect::<Vec<_>>()
                .join("\n");
            table.push(vec![
                row.number.to_string(),
                row.text.clone(),
                kind.into(),
                findings,
                row.evidence_count.to_string(),
                rec_numbers(&row.recommendations),
                row.status(),
            ]);
        }
        table
    }
}

impl Review {
    /// The coverage matrix: every term of reference in order with the findings answering it,
    /// the evidence behind each and the recommendations they led to, and the totals.
    pub fn coverage_matrix(&self) -> Result<CoverageMatrix> {
        let coverage = self.tor_coverage()?;
        let mut split: HashMap<String, (usize, usize)> = HashMap::new();
        {
            let mut stmt = self.db().prepare_cached(
                "SELECT finding_id, count(excerpt_id), count(chronology_id)
                 FROM evidence_link GROUP BY finding_id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)? as usize,
                    r.get::<_, i64>(2)? as usize,
                ))
            })?;
            for row in rows {
                let (finding, excerpts, chronology) = row?;
                split.insert(finding, (excerpts, chronology));
            }
        }
        let all_findings: i64 = self
            .db()
            .query_row("SELECT count(*) FROM finding", [], |r| r.get(0))?;

        let mut totals = CoverageTotals::default();
        let mut findings_seen: HashSet<String> = HashSet::new();
        let mut recs_seen: BTreeSet<String> = BTreeSet::new();
        let mut rows = Vec::with_capacity(coverage.len());
        for c in coverage {
            let findings: Vec<CoverageFinding> = c
                .findings
                .into_iter()
                .map(|f| {
                    let (excerpts, chronology) = split.get(&f.id).copied().unwrap_or((0, 0));
                    CoverageFinding {
                        id: f.id,
                        number: f.number,
                        title: f.statement,
                        excerpts,
                        chronology,
                        evidence_count: excerpts + chronology,
                        recommendations: f.recommendations,
                    }
                })
                .collect();
            let covered = !findings.is_empty();
            totals.tor_items += 1;
            match (&c.out_of_scope, covered) {
                (Some(_), _) => totals.out_of_scope += 1,
                (None, false) => totals.gaps += 1,
                (None, true) => {}
            }
            if covered {
                totals.covered += 1;
            }
            for f in &findings {
                if findings_seen.insert(f.id.clone()) {
                    totals.evidence += f.evidence_count;
                }
            }
            recs_seen.extend(c.recommendations.iter().map(|r| r.id.clone()));
            rows.push(CoverageRow {
                tor_id: c.tor_id,
                number: c.number,
                text: c.text,
                kind: TorKind::parse(&c.kind).unwrap_or(TorKind::CaseSpecific),
                out_of_scope_reason: c.out_of_scope,
                evidence_count: findings.iter().map(|f| f.evidence_count).sum(),
                findings,
                recommendations: c.recommendations,
                covered,
            });
        }
        totals.findings = findings_seen.len();
        totals.findings_without_tor = {
            let linked: i64 = self.db().query_row(
                "SELECT count(DISTINCT finding_id) FROM finding_tor",
                [],
                |r| r.get(0),
            )?;
            (all_findings - linked).max(0) as usize
        };
        totals.recommendations = recs_seen.len();
        Ok(CoverageMatrix { rows, totals })
    }
}
