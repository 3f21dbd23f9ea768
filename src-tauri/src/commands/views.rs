//! Read-only views across the review: search, locating a record for navigation, the evidence
//! and citation links, coverage of the terms of reference, traces, and counts.

use threadline::links::{Citations, CitedKind, EvidenceView, RecommendationTrace, TorCoverage};
use threadline::search::{Location, SearchPage, SearchQuery};
use threadline::stats::Stats;

use super::review_commands;

review_commands! {
    fn search(query: SearchQuery) -> SearchPage => |r| r.search(&query);
    fn locate(kind: String, id: String) -> Location => |r| r.locate(&kind, &id);
    fn evidence_for_finding(finding_id: String) -> Vec<EvidenceView> =>
        |r| r.evidence_for_finding(&finding_id);
    fn citations_of(kind: CitedKind, id: String) -> Citations => |r| r.citations_of(kind, &id);
    fn tor_coverage() -> Vec<TorCoverage> => |r| r.tor_coverage();
    fn recommendation_trace(recommendation_id: String) -> RecommendationTrace =>
        |r| r.recommendation_trace(&recommendation_id);
    fn recommendation_traces() -> Vec<RecommendationTrace> => |r| r.recommendation_traces();
    fn stats() -> Stats => |r| r.stats();
}
