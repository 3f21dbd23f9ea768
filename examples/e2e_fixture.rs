//! `cargo run --example e2e_fixture -- OUT.json` (see ui/e2e/fixtures/regenerate.sh).
//!
//! Builds the demo review in a temporary file with a fixed clock and counting ids, then writes
//! what each read command of the desktop shell answers for it, as JSON, to the path given as
//! the only argument. The browser tests (ui/e2e) answer the window's `invoke` calls from it.
//!
//! One extra source, "E2E check: Unicode note", is imported on top of the demo: its text has
//! characters outside the Basic Multilingual Plane, so the tests can tell character offsets
//! (what the core counts) from UTF-16 offsets (what the DOM counts).

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use serde_json::{json, Map, Value};
use threadline::model::chronology::ChronologyFilter;
use threadline::model::sections::Document;
use threadline::model::sources::{SourceInput, SourceKind};
use threadline::report::RenderOptions;
use threadline::search::SearchQuery;
use threadline::{Context, Review};

/// Where the shell would keep the demo review; only shown in the window's header.
const DEMO_PATH: &str = "/home/reviewer/.local/share/threadline/data/demo.threadline";

/// The words the tests type into search; each one's hits are recorded whole.
const QUERIES: &[&str] = &[
    "strangulation",
    "MARAC",
    "bruising",
    "escalation",
    "unseen",
    "Unicode",
];

/// The extra source's text: a heading and two paragraphs with emoji and accents.
const UNICODE_TEXT: &str = "Unicode note\n\n\
The nurse 🧑‍⚕️ wrote: “Child R 👶 smiled at café staff and waved.”\n\n\
Plain ASCII paragraph for a simple selection test.\n";

fn to_json<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).expect("every IPC type serialises")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out: PathBuf = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: threadline-e2e-fixture OUT.json")?;

    let dir = std::env::temp_dir().join(format!("threadline-e2e-fixture-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("demo.threadline");
    let _ = std::fs::remove_file(&file);
    let at = Utc
        .with_ymd_and_hms(2024, 6, 3, 9, 0, 0)
        .single()
        .ok_or("bad date")?;

    let review = threadline::demo::build_demo(&file, Context::fixed(at, 7))?;
    review.close()?;
    let mut review = Review::open(&file, Context::fixed(at, 8))?;
    review.import_text(
        SourceInput {
            kind: SourceKind::Other,
            title: "E2E check: Unicode note".into(),
            ..SourceInput::default()
        },
        UNICODE_TEXT,
    )?;
    // As the shell opens it: nothing to undo.
    review.seal_history()?;

    let sources = review.sources()?;
    let mut paragraphs = Map::new();
    let mut excerpts = Map::new();
    for source in &sources {
        let count = usize::try_from(source.paragraph_count)?;
        paragraphs.insert(
            source.id.clone(),
            to_json(review.paragraphs(&source.id, 0, count)?),
        );
        excerpts.insert(
            source.id.clone(),
            to_json(review.excerpts_of_source(&source.id)?),
        );
    }
    let findings = review.findings()?;
    let mut evidence = Map::new();
    for finding in &findings {
        evidence.insert(
            finding.id.clone(),
            to_json(review.evidence_for_finding(&finding.id)?),
        );
    }
    let mut searches = Map::new();
    for text in QUERIES {
        let query = SearchQuery {
            limit: threadline::search::MAX_LIMIT,
            ..SearchQuery::new(*text)
        };
        searches.insert((*text).to_owned(), to_json(review.search(&query)?));
    }

    let details = review.details()?;
    let stats = review.stats()?;
    let fixture = json!({
        "generated_by": "ui/e2e/fixtures/regenerate.sh",
        "review_info": { "path": DEMO_PATH, "details": details, "stats": stats },
        "recent_files": [DEMO_PATH],
        "undo_state": review.undo_state()?,
        "tor_items": review.tor_items()?,
        "tor_coverage": review.tor_coverage()?,
        "agencies": review.agencies()?,
        "sources": sources,
        "paragraphs": paragraphs,
        "excerpts": excerpts,
        "chronology": review.chronology(&ChronologyFilter::default())?,
        "themes": review.themes()?,
        "findings": findings,
        "evidence_for_finding": evidence,
        "recommendations": review.recommendations()?,
        "action_plan": review.action_plan()?,
        "sections": {
            "overview": review.sections(Document::Overview)?,
            "summary": review.sections(Document::Summary)?,
        },
        "searches": searches,
        "coverage_matrix": review.coverage_matrix()?,
        "rendered": {
            "overview": review.render_document(Document::Overview, &RenderOptions::default())?,
            "summary": review.render_document(Document::Summary, &RenderOptions::default())?,
        },
    });
    review.close()?;
    std::fs::remove_dir_all(&dir)?;

    std::fs::write(&out, serde_json::to_string(&fixture)? + "\n")?;
    println!("wrote {}", out.display());
    Ok(())
}
