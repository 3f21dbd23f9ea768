//! Benchmarks on generated reviews of three sizes (S = the demo, M, L), written to
//! `BENCHMARKS.md`. Run with `cargo bench --bench scale` (all sizes) or
//! `cargo bench --bench scale -- S M` (some). Generated M and L files are kept in
//! `target/bench-data/` and reused while the generator's version is unchanged, because
//! building L takes minutes.
//!
//! Measured per size: opening the file, search p50/p95 for a rare word, a common word, a phrase
//! and a prefix, the ToR coverage matrix, a full JSON dump; and imports: 100k words of text, a
//! 100k-word Word document (new, and as a second version that moves 300 excerpts), and a
//! 10,000-row CSV chronology.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use threadline::model::chronology::{ChronologyInput, Significance};
use threadline::model::findings::{EvidenceTarget, FindingInput, FindingKind, Relation};
use threadline::model::recommendations::{Origin, RecommendationInput};
use threadline::model::sources::{SourceInput, SourceKind};
use threadline::model::themes::ThemeInput;
use threadline::model::tor::{TorInput, TorKind};
use threadline::search::SearchQuery;
use threadline::{Context, Review};

/// Bump when the generated content changes, so cached files are rebuilt.
const GENERATOR_VERSION: u32 = 1;

/// The shape of one generated review.
#[derive(Clone, Copy)]
struct Size {
    name: &'static str,
    sources: usize,
    words_per_source: usize,
    chronology: usize,
    findings: usize,
    evidence: usize,
    recommendations: usize,
    tor: usize,
}

const M: Size = Size {
    name: "M",
    sources: 40,
    words_per_source: 20_000,
    chronology: 5_000,
    findings: 150,
    evidence: 600,
    recommendations: 60,
    tor: 14,
};

const L: Size = Size {
    name: "L",
    sources: 40,
    words_per_source: 100_000,
    chronology: 20_000,
    findings: 500,
    evidence: 2_000,
    recommendations: 200,
    tor: 20,
};

/// A small deterministic generator (xorshift64*), so every run builds the same review.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A vocabulary of made-up words with a Zipf-like frequency, like real prose: a few words are
/// everywhere, most are rare.
struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

const SYLLABLES: [&str; 24] = [
    "ka", "lo", "mi", "ne", "ru", "sa", "te", "vi", "do", "ba", "po", "ri", "ge", "fu", "ho", "ja",
    "ze", "wi", "yo", "qu", "ek", "an", "or", "il",
];

impl Vocabulary {
    fn new(size: usize) -> Self {
        let mut words = Vec::with_capacity(size);
        for i in 0..size {
            let mut n = i;
            let mut w = String::new();
            loop {
                w.push_str(SYLLABLES[n % SYLLABLES.len()]);
                n /= SYLLABLES.len();
                if n == 0 {
                    break;
                }
            }
            // Make every word at least two syllables, so none is a stop-word-like fragment.
            if w.len() < 4 {
                w.push_str("ra");
            }
            words.push(w);
        }
        let mut cumulative = Vec::with_capacity(size);
        let mut total = 0.0;
        for rank in 0..size {
            total += 1.0 / (rank as f64 + 1.0);
            cumulative.push(total);
        }
        for c in &mut cumulative {
            *c /= total;
        }
        Vocabulary { words, cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> &str {
        let u = rng.unit();
        let i = self.cumulative.partition_point(|c| *c < u);
        &self.words[i.min(self.words.len() - 1)]
    }

    fn sentence(&self, rng: &mut Rng, words: usize) -> String {
        let mut s = String::with_capacity(words * 7);
        for i in 0..words {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.pick(rng));
        }
        s
    }
}

/// One source document of about `words` words, as plain text with numbered paragraphs.
fn document(vocab: &Vocabulary, rng: &mut Rng, words: usize) -> String {
    let mut out = String::with_capacity(words * 7);
    let mut written = 0;
    let mut n = 0;
    while written < words {
        n += 1;
        let len = 40 + rng.below(80);
        let _ = write!(
            out,
            "{}.{} {}.\n\n",
            n / 20 + 1,
            n % 20 + 1,
            vocab.sentence(rng, len)
        );
        written += len;
    }
    out
}

fn ctx() -> Context {
    Context::default()
}

/// Builds a review of `size` at `path` through the public API, as a user's edits would.
fn generate(size: Size, path: &Path) -> threadline::Result<()> {
    let mut rng = Rng(0x5EED_0000 + size.sources as u64 * 7 + size.chronology as u64);
    let vocab = Vocabulary::new(20_000);
    let mut review = Review::create(path, ctx())?;
    let mut paragraph_ids = Vec::new();
    for s in 0..size.sources {
        let text = document(&vocab, &mut rng, size.words_per_source);
        let source = review.import_text(
            SourceInput {
                kind: SourceKind::Imr,
                title: format!("Agency {s} IMR"),
                ..SourceInput::default()
            },
            &text,
        )?;
        for p in review.paragraphs(&source.id, 0, 40)? {
            paragraph_ids.push(p.id);
        }
    }
    let start = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    let mut chronology_ids = Vec::new();
    for i in 0..size.chronology {
        let date = start + chrono::Duration::days((i * 3000 / size.chronology) as i64);
        let mut input = ChronologyInput::new(date, vocab.sentence(&mut rng, 25));
        if i % 50 == 0 {
            input.significance = Significance::KeyPracticeEpisode;
        }
        let entry = review.add_chronology_entry(input)?;
        chronology_ids.push(entry.id);
    }
    let mut tor_ids = Vec::new();
    for i in 0..size.tor {
        let item = review.add_tor(TorInput {
            kind: if i < 3 {
                TorKind::Generic
            } else {
                TorKind::CaseSpecific
            },
            text: vocab.sentence(&mut rng, 20),
            out_of_scope_reason: None,
        })?;
        tor_ids.push(item.id);
    }
    let mut theme_ids = Vec::new();
    for _ in 0..5 {
        let t = review.add_theme(ThemeInput {
            title: vocab.sentence(&mut rng, 4),
            summary: vocab.sentence(&mut rng, 30),
        })?;
        theme_ids.push(t.id);
    }
    let mut finding_ids = Vec::new();
    for i in 0..size.findings {
        let f = review.add_finding(FindingInput {
            theme_id: Some(theme_ids[i % theme_ids.len()].clone()),
            kind: FindingKind::Practice,
            statement: vocab.sentence(&mut rng, 25),
            analysis: vocab.sentence(&mut rng, 120),
        })?;
        // Most ToR items get findings; the last leaves a gap, as real drafts do.
        review.link_tor(&f.id, &tor_ids[i % (tor_ids.len() - 1)])?;
        finding_ids.push(f.id);
    }
    for i in 0..size.evidence {
        let finding = &finding_ids[i % finding_ids.len()];
        let target = if i % 4 == 3 {
            EvidenceTarget::Chronology(chronology_ids[(i * 7919) % chronology_ids.len()].clone())
        } else {
            let pid = &paragraph_ids[(i * 104_729) % paragraph_ids.len()];
            let excerpt = review.add_excerpt(pid, 0, 20, "")?;
            EvidenceTarget::Excerpt(excerpt.id)
        };
        review.link_evidence(finding, target, Relation::Supports, "")?;
    }
    for i in 0..size.recommendations {
        let r = review.add_recommendation(RecommendationInput {
            origin: Origin::OverviewAuthor,
            text: vocab.sentence(&mut rng, 40),
            ..RecommendationInput::default()
        })?;
        let linked = [
            finding_ids[i % finding_ids.len()].clone(),
            finding_ids[(i * 31 + 7) % finding_ids.len()].clone(),
        ];
        review.set_recommendation_findings(&r.id, &linked)?;
    }
    review.close()
}

/// The file for `size`, generated on first use and kept while the generator is unchanged.
fn review_file(size: Size, log: &mut String) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench data folder");
    let path = dir.join(format!("{}-v{GENERATOR_VERSION}.threadline", size.name));
    if !path.exists() {
        let partial = dir.join(format!("{}-partial.threadline", size.name));
        for suffix in ["", "-wal", "-shm", ".lock"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
        }
        eprintln!(
            "generating size {} (once; cached in {})",
            size.name,
            dir.display()
        );
        let t = Instant::now();
        generate(size, &partial).expect("generate review");
        let took = t.elapsed();
        std::fs::rename(&partial, &path).expect("keep generated review");
        // The snapshots its imports took are of half-built states: not part of the bench data.
        let _ = std::fs::remove_dir_all(dir.join(format!("{}-partial.backups", size.name)));
        let _ = writeln!(
            log,
            "- generated {} in {:.1} s",
            size.name,
            took.as_secs_f64()
        );
    }
    path
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Times `f` `runs` times (after one warm-up) and returns (p50, p95).
fn time<T>(runs: usize, mut f: impl FnMut(usize) -> T) -> (f64, f64) {
    std::hint::black_box(f(usize::MAX));
    let mut samples: Vec<Duration> = (0..runs)
        .map(|i| {
            let t = Instant::now();
            std::hint::black_box(f(i));
            t.elapsed()
        })
        .collect();
    (
        ms(percentile(&mut samples, 0.5)),
        ms(percentile(&mut samples, 0.95)),
    )
}

struct Row {
    size: &'static str,
    what: String,
    p50: f64,
    p95: f64,
    target: Option<f64>,
}

/// Words to search for, chosen from the generator's vocabulary by frequency.
fn queries(vocab: &Vocabulary) -> Vec<(&'static str, Vec<String>)> {
    let common: Vec<String> = (0..10).map(|i| vocab.words[i].clone()).collect();
    let rare: Vec<String> = (0..10)
        .map(|i| vocab.words[15_000 + i * 97].clone())
        .collect();
    let phrase: Vec<String> = (0..10)
        .map(|i| format!("\"{} {}\"", vocab.words[i], vocab.words[i + 1]))
        .collect();
    let prefix: Vec<String> = (0..10)
        .map(|i| format!("{}*", &vocab.words[200 + i * 13][..3]))
        .collect();
    vec![
        ("rare word", rare),
        ("common word", common),
        ("phrase", phrase),
        ("prefix", prefix),
    ]
}

fn measure(name: &'static str, path: &Path, rows: &mut Vec<Row>, large: bool) {
    let runs = 40;
    let (p50, p95) = time(runs, |_| {
        let r = Review::open(path, ctx()).expect("open");
        drop(r);
    });
    rows.push(Row {
        size: name,
        what: "open".into(),
        p50,
        p95,
        target: large.then_some(100.0),
    });

    let mut review = Review::open(path, ctx()).expect("open");
    // Large files are checked in the background after opening; measure that check once, and
    // let it finish before timing searches so the two do not share the cores.
    let t = Instant::now();
    review.ensure_sound().expect("sound file");
    let check = ms(t.elapsed());
    rows.push(Row {
        size: name,
        what: "soundness check after open (background for files over 32 MiB)".into(),
        p50: check,
        p95: check,
        target: None,
    });
    let stats = review.stats().expect("stats");
    let vocab = Vocabulary::new(20_000);
    let mut demo_words: Vec<(&'static str, Vec<String>)> = Vec::new();
    if name == "S" {
        demo_words = vec![
            ("rare word", vec!["scan".into(), "housing".into()]),
            ("common word", vec!["the".into(), "child".into()]),
            ("phrase", vec!["\"health visitor\"".into()]),
            ("prefix", vec!["safeguard*".into(), "refer*".into()]),
        ];
    }
    let sets = if name == "S" {
        demo_words
    } else {
        queries(&vocab)
    };
    for (what, words) in sets {
        let (p50, p95) = time(runs * 2, |i| {
            let text = &words[i % words.len()];
            let page = review
                .search(&SearchQuery::new(text.as_str()))
                .expect("search");
            assert!(i == usize::MAX || !page.hits.is_empty() || name == "S");
            page.hits.len()
        });
        rows.push(Row {
            size: name,
            what: format!("search: {what}"),
            p50,
            p95,
            target: large.then_some(50.0),
        });
    }
    let (p50, p95) = time(runs, |_| review.tor_coverage().expect("coverage").len());
    rows.push(Row {
        size: name,
        what: "ToR coverage matrix".into(),
        p50,
        p95,
        target: large.then_some(50.0),
    });
    let (p50, p95) = time(3, |_| {
        threadline::interchange::dump(&review).expect("dump").len()
    });
    rows.push(Row {
        size: name,
        what: "dump to JSON".into(),
        p50,
        p95,
        target: None,
    });
    eprintln!(
        "{name}: {} paragraphs, {} words, {} chronology entries",
        stats.rows(threadline::Table::Paragraph),
        stats.source_words,
        stats.rows(threadline::Table::ChronologyEntry)
    );
}

/// Imports 100k words into a fresh review, several times.
fn measure_import(rows: &mut Vec<Row>) {
    let vocab = Vocabulary::new(20_000);
    let mut rng = Rng(42);
    let text = document(&vocab, &mut rng, 100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let (p50, p95) = time(5, |i| {
        let path = dir.path().join(format!("import-{i}.threadline"));
        let mut review = Review::create(&path, ctx()).expect("create");
        let t = Instant::now();
        review
            .import_text(
                SourceInput {
                    kind: SourceKind::Imr,
                    title: "Imported IMR".into(),
                    ..SourceInput::default()
                },
                &text,
            )
            .expect("import");
        t.elapsed()
    });
    rows.push(Row {
        size: "-",
        what: "import 100k words of text into a new review".into(),
        p50,
        p95,
        target: Some(1000.0),
    });
}

/// A Word file written by the docx-rs library: `text`'s blank-line paragraphs, with a
/// "Heading 1" styled heading every 25 paragraphs.
fn word_file(text: &str, path: &Path) {
    use docx_rs::{Docx, Paragraph, Run, Style, StyleType};
    let mut doc =
        Docx::new().add_style(Style::new("Heading1", StyleType::Paragraph).name("Heading 1"));
    for (i, para) in text.split("\n\n").filter(|p| !p.is_empty()).enumerate() {
        if i % 25 == 0 {
            doc = doc.add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text(format!("Part {}", i / 25 + 1)))
                    .style("Heading1"),
            );
        }
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(para)));
    }
    let file = std::fs::File::create(path).expect("create docx");
    doc.build().pack(file).expect("write docx");
}

fn nothing(_: threadline::import::ImportProgress) {}

/// Imports a 100k-word Word document into a new review; then, into a review holding it with
/// 300 excerpts, a second version with every tenth paragraph reworded, moving the excerpts.
fn measure_docx(rows: &mut Vec<Row>) {
    let vocab = Vocabulary::new(20_000);
    let mut rng = Rng(43);
    let text = document(&vocab, &mut rng, 100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let v1 = dir.path().join("imr-v1.docx");
    word_file(&text, &v1);
    let reworded: Vec<String> = text
        .split("\n\n")
        .enumerate()
        .map(|(i, p)| {
            if i % 10 == 3 {
                p.replacen(' ', " indeed ", 1)
            } else {
                p.to_owned()
            }
        })
        .collect();
    let v2 = dir.path().join("imr-v2.docx");
    word_file(&reworded.join("\n\n"), &v2);
    let input = || SourceInput {
        kind: SourceKind::Imr,
        title: "Police IMR".into(),
        ..SourceInput::default()
    };
    let (p50, p95) = time(5, |i| {
        let path = dir.path().join(format!("docx-{i}.threadline"));
        let mut review = Review::create(&path, ctx()).expect("create");
        let t = Instant::now();
        review
            .import_document(input(), &v1, None, &mut nothing)
            .expect("import");
        t.elapsed()
    });
    rows.push(Row {
        size: "-",
        what: format!(
            "import a 100k-word .docx ({} KB) into a new review",
            std::fs::metadata(&v1).map(|m| m.len() / 1024).unwrap_or(0)
        ),
        p50,
        p95,
        target: Some(1000.0),
    });
    let (p50, p95) = time(5, |i| {
        let path = dir.path().join(format!("v2-{i}.threadline"));
        let mut review = Review::create(&path, ctx()).expect("create");
        let first = review
            .import_document(input(), &v1, None, &mut nothing)
            .expect("import v1");
        let paras = review
            .paragraphs(&first.source.id, 0, usize::MAX)
            .expect("paragraphs");
        for p in paras
            .iter()
            .filter(|p| p.heading_level == 0)
            .step_by(3)
            .take(300)
        {
            let end = p.text.chars().count().min(60);
            review.add_excerpt(&p.id, 0, end, "").expect("excerpt");
        }
        let t = Instant::now();
        let second = review
            .import_document(input(), &v2, Some(&first.source.id), &mut nothing)
            .expect("import v2");
        let took = t.elapsed();
        assert_eq!(second.reanchored.len() + second.unplaced.len(), 300);
        took
    });
    rows.push(Row {
        size: "-",
        what: "import a 100k-word .docx as version 2, moving 300 excerpts".into(),
        p50,
        p95,
        target: None,
    });
}

/// Imports a 10,000-row CSV chronology from five agencies into a new review.
fn measure_chronology_import(rows: &mut Vec<Row>) {
    let vocab = Vocabulary::new(5_000);
    let mut rng = Rng(44);
    let mut csv = String::from("Date,Agency,Event,Source\n");
    for i in 0..10_000 {
        let words = 12 + rng.below(20);
        let _ = writeln!(
            csv,
            "{:02}/{:02}/{},{},\"{}\",IMR {}",
            1 + rng.below(28),
            1 + rng.below(12),
            2005 + rng.below(15),
            [
                "Police",
                "School",
                "GP",
                "Health visiting",
                "Children's social care"
            ][i % 5],
            vocab.sentence(&mut rng, words),
            i
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("chronology.csv");
    std::fs::write(&file, csv).expect("write csv");
    let (p50, p95) = time(3, |i| {
        let path = dir.path().join(format!("chron-{i}.threadline"));
        let mut review = Review::create(&path, ctx()).expect("create");
        let t = Instant::now();
        let mapping = review
            .preview_chronology_import(&file, None)
            .expect("preview")
            .mapping;
        let done = review
            .import_chronology(&file, &mapping, &mut nothing)
            .expect("import");
        let took = t.elapsed();
        assert_eq!(done.added + done.duplicates, 10_000);
        took
    });
    rows.push(Row {
        size: "-",
        what: "preview and import a 10,000-row CSV chronology".into(),
        p50,
        p95,
        target: None,
    });
}

/// The process's peak resident memory so far (VmHWM), in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Sets the peak back to the current resident size (Linux: `5` into clear_refs).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// A Word package whose document part is `size` bytes of spaces inside a paragraph; with
/// `lie`, both zip headers claim the part inflates to 1,000 bytes.
fn bomb(size: usize, lie: bool) -> Vec<u8> {
    use std::io::Write as _;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    zip.start_file("[Content_Types].xml", options).expect("zip");
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#)
        .expect("zip");
    zip.start_file("word/document.xml", options).expect("zip");
    zip.write_all(br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>"#)
        .expect("zip");
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..size / chunk.len() {
        zip.write_all(&chunk).expect("zip");
    }
    zip.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .expect("zip");
    let mut bytes = zip.finish().expect("zip").into_inner();
    if lie {
        // Local header: uncompressed size at +22; central directory entry: at +24.
        let name = b"word/document.xml";
        for (sig, at) in [(0x04034b50u32, 22usize), (0x02014b50, 24)] {
            let sig = sig.to_le_bytes();
            let name_at = if at == 22 { 30 } else { 46 };
            let mut i = 0;
            while i + name_at + name.len() <= bytes.len() {
                if bytes[i..i + 4] == sig && &bytes[i + name_at..i + name_at + name.len()] == name {
                    bytes[i + at..i + at + 4].copy_from_slice(&1000u32.to_le_bytes());
                }
                i += 1;
            }
        }
    }
    bytes
}

/// Reads Word files that inflate to 1 GiB (honestly declared, and lying about it): how long
/// the refusal takes and how much the peak resident memory grows meanwhile.
fn measure_bombs(rows: &mut Vec<Row>, log: &mut String) {
    for (lie, what) in [(false, "declared"), (true, "hidden behind a false size")] {
        let bytes = bomb(1 << 30, lie);
        let (p50, p95) = time(3, |_| {
            let err = threadline::import::docx::read_docx(&bytes, "bomb.docx");
            assert!(err.is_err(), "a 1 GiB part must be refused");
        });
        reset_peak();
        let before = peak_kib();
        let err = threadline::import::docx::read_docx(&bytes, "bomb.docx").unwrap_err();
        let grew = peak_kib().saturating_sub(before);
        rows.push(Row {
            size: "-",
            what: format!(
                "refuse a {} KB .docx inflating to 1 GiB ({what}); peak memory +{} MiB",
                bytes.len() / 1024,
                grew / 1024
            ),
            p50,
            p95,
            target: None,
        });
        let _ = writeln!(log, "\nbomb ({what}): {err}");
    }
}

/// Unlocking a protected review (the passphrase's key derivation: SQLCipher 4's default
/// PBKDF2-HMAC-SHA512, 256,000 iterations), and what protection and snapshots cost on the demo.
fn measure_security(rows: &mut Vec<Row>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let plain = dir.path().join("plain.threadline");
    threadline::demo::build_demo(&plain, ctx())
        .expect("demo")
        .close()
        .expect("close");
    let secret = dir.path().join("secret.threadline");
    std::fs::copy(&plain, &secret).expect("copy");
    let key = || threadline::Passphrase::new("correct horse battery staple").expect("key");
    let mut review = Review::open(&secret, ctx()).expect("open");
    let start = Instant::now();
    review.add_passphrase(key()).expect("protect");
    let protect = ms(start.elapsed());
    review.close().expect("close");
    rows.push(Row {
        size: "S",
        what: "protect an unprotected review (copy, check, rename)".into(),
        p50: protect,
        p95: protect,
        target: None,
    });
    let (p50, p95) = time(10, |_| {
        Review::open(&secret, ctx().with_passphrase(key())).expect("unlock")
    });
    rows.push(Row {
        size: "S",
        what: "unlock: open a protected review with its passphrase".into(),
        p50,
        p95,
        target: Some(500.0),
    });
    let (p50, p95) = time(10, |_| {
        Review::open(
            &secret,
            ctx().with_passphrase(threadline::Passphrase::new("wrong").unwrap()),
        )
        .expect_err("refused")
    });
    rows.push(Row {
        size: "S",
        what: "refuse a wrong passphrase".into(),
        p50,
        p95,
        target: None,
    });
    for (what, path, k) in [
        ("unprotected", &plain, None),
        ("protected", &secret, Some(key())),
    ] {
        let ctx = match &k {
            Some(k) => ctx().with_passphrase(k.clone()),
            None => ctx(),
        };
        let mut review = Review::open(path, ctx).expect("open");
        let (p50, p95) = time(5, |_| review.snapshot("bench").expect("snapshot"));
        rows.push(Row {
            size: "S",
            what: format!("snapshot, synced and checked ({what})"),
            p50,
            p95,
            target: None,
        });
        drop(review);
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |s: &str| args.is_empty() || args.iter().any(|a| a == s);
    let mut rows = Vec::new();
    let mut log = String::new();
    let dir = tempfile::tempdir().expect("temp dir");
    if wanted("S") {
        let path = dir.path().join("demo.threadline");
        threadline::demo::build_demo(&path, ctx())
            .expect("demo")
            .close()
            .expect("close");
        measure("S", &path, &mut rows, false);
    }
    for size in [M, L] {
        if wanted(size.name) {
            let path = review_file(size, &mut log);
            measure(size.name, &path, &mut rows, size.name == "L");
        }
    }
    if wanted("import") || args.is_empty() {
        measure_import(&mut rows);
        measure_docx(&mut rows);
        measure_chronology_import(&mut rows);
        measure_bombs(&mut rows, &mut log);
    }
    if wanted("security") || args.is_empty() {
        measure_security(&mut rows);
    }
    let mut table = String::from(
        "| size | measure | p50 ms | p95 ms | target (p95) |\n|---|---|---:|---:|---|\n",
    );
    for r in &rows {
        let target = match r.target {
            Some(t) if r.p95 <= t => format!("< {t} ms: met"),
            Some(t) => format!("< {t} ms: MISSED"),
            None => String::new(),
        };
        let _ = writeln!(
            table,
            "| {} | {} | {:.2} | {:.2} | {} |",
            r.size, r.what, r.p50, r.p95, target
        );
    }
    println!("{table}{log}");
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-results.md");
    std::fs::write(&out, format!("{table}{log}")).expect("write results");
    eprintln!("results written to {}", out.display());
}
