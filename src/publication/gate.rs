//! The leak gate: scans the bytes a publication export is about to write for registered names
//! of entries that may not be named and for patterns that identify someone (UK postcodes,
//! phone numbers, NHS numbers, dates of birth written as such).
//!
//! Word and Excel files are read part by part from their zip; the text of each paragraph
//! (`w:p`, `a:p`) or shared string (`si`) is joined across its runs first, so a name split by
//! formatting (`**La**ura`) is still one word to the scan. Markup and attributes are left out.
//! HTML is read the same way (inline tags join, others separate); Markdown is read as written
//! and again with its emphasis marks taken out; CSV as written.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::{fold, Pseudonymiser};
use crate::error::{Error, Result};
use crate::export::ExportFormat;
use crate::model::text_enum;

text_enum! {
    /// What a leak hit is.
    LeakKind {
        Name = "name", Postcode = "postcode", Phone = "phone", NhsNumber = "nhs_number",
        DateOfBirth = "date_of_birth",
    }
}

/// Something identifying found in a file about to be published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct LeakHit {
    /// A stable key for this hit (`kind:words@part`); pass it back in the export request's
    /// `allow` to mark the hit as intended.
    pub key: String,
    /// Where in the file: a zip part ("word/document.xml", "docProps/core.xml") or the file
    /// itself ("html", "markdown", "csv").
    pub part: String,
    pub kind: LeakKind,
    /// The register entry whose name it is (names only; none when the name is shared).
    pub entry_id: Option<String>,
    /// What was looked for: the registered name, or the pattern in words.
    pub term: String,
    /// The words as they stand in the file.
    pub found: String,
    /// A little of the text around the first occurrence.
    pub context: String,
    /// How many times it occurs in this part.
    pub count: u32,
}

impl LeakHit {
    /// One line for a person: where, what, and the context.
    pub fn describe(&self) -> String {
        let what = match self.kind {
            LeakKind::Name => format!("registered name '{}'", self.term),
            _ => self.term.clone(),
        };
        let times = if self.count > 1 {
            format!(" ({} times)", self.count)
        } else {
            String::new()
        };
        format!(
            "{}: {what} found as '{}'{times} in \"{}\" [allow with {}]",
            self.part, self.found, self.context, self.key
        )
    }
}

static POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKPSTUW]? ?[0-9][ABD-HJLNP-UW-Z]{2})\b",
    )
    .expect("postcode pattern")
});

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    // +44 or 0, then 9 or 10 more digits with optional spaces, dashes or brackets between.
    Regex::new(r"(?:\+44[\s-]?(?:\(0\)[\s-]?)?|\b0)\d(?:[\s-]?\(?\d\)?){8,9}\b")
        .expect("phone pattern")
});

static NHS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b").expect("NHS number pattern"));

static DOB: LazyLock<Regex> = LazyLock::new(|| {
    let month = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?";
    Regex::new(&format!(
        r"(?i)\b(?:d\.?o\.?b\.?|date of birth|born on|born)\s*(?:[:\-–]\s*|is\s+|was\s+|on\s+)?(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{month},?\s+\d{{4}}|{month}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
    ))
    .expect("date of birth pattern")
});

/// True when the ten digits carry a valid NHS mod-11 check digit.
pub fn nhs_check_digit_ok(digits: &[u32]) -> bool {
    if digits.len() != 10 {
        return false;
    }
    let sum: u32 = digits[..9]
        .iter()
        .enumerate()
        .map(|(i, d)| d * (10 - i as u32))
        .sum();
    let check = match 11 - (sum % 11) {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == digits[9]
}

/// A few words either side of `text[start..end]`.
fn context(text: &str, start: usize, end: usize) -> String {
    let before: String = {
        let chars: Vec<char> = text[..start].chars().collect();
        chars[chars.len().saturating_sub(40)..].iter().collect()
    };
    let after: String = text[end..].chars().take(40).collect();
    format!("{}{}{}", before, &text[start..end], after)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Collects hits, merged by key.
#[derive(Default)]
struct Hits {
    list: Vec<LeakHit>,
    index: HashMap<String, usize>,
}

impl Hits {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        part: &str,
        kind: LeakKind,
        entry_id: Option<&str>,
        term: &str,
        text: &str,
        start: usize,
        end: usize,
    ) {
        let found = text[start..end].to_owned();
        let key = format!("{}:{}@{}", kind.as_str(), fold(&found), part);
        if let Some(&i) = self.index.get(&key) {
            self.list[i].count += 1;
            return;
        }
        self.index.insert(key.clone(), self.list.len());
        self.list.push(LeakHit {
            key,
            part: part.to_owned(),
            kind,
            entry_id: entry_id.map(str::to_owned),
            term: term.to_owned(),
            found,
            context: context(text, start, end),
            count: 1,
        });
    }
}

impl Hits {
    /// Adds the hits of a second reading of the same text whose keys are new.
    fn merge(&mut self, other: Hits) {
        for hit in other.list {
            if !self.index.contains_key(&hit.key) {
                self.index.insert(hit.key.clone(), self.list.len());
                self.list.push(hit);
            }
        }
    }
}

/// Scans one run of text from `part`.
fn scan_text(p: &Pseudonymiser, part: &str, text: &str, hits: &mut Hits) {
    for found in p.find(text) {
        if let Some((entry, name)) = p.leak_of(&found) {
            hits.add(
                part,
                LeakKind::Name,
                entry,
                name,
                text,
                found.start,
                found.end,
            );
        }
    }
    for m in POSTCODE.find_iter(text) {
        hits.add(
            part,
            LeakKind::Postcode,
            None,
            "a UK postcode",
            text,
            m.start(),
            m.end(),
        );
    }
    for m in PHONE.find_iter(text) {
        let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
        let national = if m.as_str().starts_with('+') {
            digits - 1 // +44 7… has 12 digits, the national number 11 with its 0
        } else {
            digits
        };
        if (10..=12).contains(&national) {
            hits.add(
                part,
                LeakKind::Phone,
                None,
                "a UK phone number",
                text,
                m.start(),
                m.end(),
            );
        }
    }
    for m in NHS.find_iter(text) {
        let digits: Vec<u32> = m.as_str().chars().filter_map(|c| c.to_digit(10)).collect();
        if nhs_check_digit_ok(&digits) {
            hits.add(
                part,
                LeakKind::NhsNumber,
                None,
                "an NHS number",
                text,
                m.start(),
                m.end(),
            );
        }
    }
    for m in DOB.find_iter(text) {
        hits.add(
            part,
            LeakKind::DateOfBirth,
            None,
            "a date of birth",
            text,
            m.start(),
            m.end(),
        );
    }
}

/// Decodes the XML and HTML character references the writers and readers use.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "rsquo" => Some('’'),
                "lsquo" => Some('‘'),
                _ => {
                    if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                        u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                    } else if let Some(dec) = name.strip_prefix('#') {
                        dec.parse().ok().and_then(char::from_u32)
                    } else {
                        None
                    }
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// How a tag affects the text around it.
#[derive(PartialEq)]
enum TagRole {
    /// Text on either side is one run (a Word run, an HTML `<strong>`).
    Join,
    /// Text on either side is separated by a space (a tab, a line break).
    Space,
    /// Ends one unit of text and starts the next.
    Break,
}

/// Splits markup into units of text: the joined text of each paragraph, cell or element.
/// `role` says what each tag (by local name, lower case) does while inside a paragraph-like
/// element, `joiners` names those elements; outside them every tag breaks.
fn markup_units(markup: &str, joiners: &[&str], role: impl Fn(&str) -> TagRole) -> Vec<String> {
    let mut units = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let flush = |current: &mut String, units: &mut Vec<String>| {
        let text = decode_entities(current);
        if !text.trim().is_empty() {
            units.push(text);
        }
        current.clear();
    };
    let mut rest = markup;
    while let Some(i) = rest.find('<') {
        current.push_str(&rest[..i]);
        let tag = &rest[i..];
        // Comments, CDATA and declarations.
        if let Some(body) = tag.strip_prefix("<!--") {
            let end = body.find("-->").map_or(body.len(), |e| e + 3);
            rest = &body[end..];
            continue;
        }
        if let Some(body) = tag.strip_prefix("<![CDATA[") {
            let end = body.find("]]>").unwrap_or(body.len());
            // CDATA is literal: escape & so decoding leaves it as it is.
            current.push_str(&body[..end].replace('&', "&amp;"));
            rest = &body[(end + 3).min(body.len())..];
            continue;
        }
        // Find the end of the tag, stepping over quoted attribute values.
        let mut quote: Option<char> = None;
        let mut end = tag.len();
        for (j, c) in tag.char_indices().skip(1) {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c == '>' => {
                    end = j + 1;
                    break;
                }
                None => {}
            }
        }
        let inner = &tag[1..end.saturating_sub(1).max(1)];
        rest = &tag[end..];
        if inner.starts_with('?') || inner.starts_with('!') {
            continue;
        }
        let closing = inner.starts_with('/');
        let self_closing = inner.ends_with('/');
        let name = inner
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .next()
            .unwrap_or("");
        let local = name.rsplit(':').next().unwrap_or(name).to_lowercase();
        if joiners.contains(&local.as_str()) {
            flush(&mut current, &mut units);
            if !self_closing {
                if closing {
                    depth = depth.saturating_sub(1);
                } else {
                    depth += 1;
                }
            }
            continue;
        }
        if depth > 0 {
            match role(&local) {
                TagRole::Join => {}
                TagRole::Space => current.push(' '),
                TagRole::Break => flush(&mut current, &mut units),
            }
        } else {
            flush(&mut current, &mut units);
        }
    }
    current.push_str(rest);
    flush(&mut current, &mut units);
    units
}

/// Inside a Word paragraph or a shared string, everything joins but tabs and breaks.
fn office_role(local: &str) -> TagRole {
    match local {
        "tab" | "br" | "cr" | "noBreakHyphen" => TagRole::Space,
        _ => TagRole::Join,
    }
}

const HTML_INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// The text of an HTML file, by block: inline tags join their neighbours.
fn html_units(html: &str) -> Vec<String> {
    // Script and style bodies are code, not text; our writer puts only CSS there.
    let mut cleaned = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let lower = rest.to_lowercase();
        let next = ["<style", "<script"]
            .iter()
            .filter_map(|t| lower.find(t).map(|i| (i, *t)))
            .min();
        let Some((i, t)) = next else {
            cleaned.push_str(rest);
            break;
        };
        cleaned.push_str(&rest[..i]);
        let close = format!("</{}", &t[1..]);
        match lower[i..].find(&close) {
            Some(e) => {
                let after = &rest[i + e..];
                let gt = after.find('>').map_or(after.len(), |g| g + 1);
                rest = &after[gt..];
            }
            None => break,
        }
    }
    // The whole document is one "paragraph" for joining; block tags break.
    let wrapped = format!("<threadline-root>{cleaned}</threadline-root>");
    markup_units(&wrapped, &["threadline-root"], |local| {
        if local == "br" {
            TagRole::Space
        } else if HTML_INLINE.contains(&local) {
            TagRole::Join
        } else {
            TagRole::Break
        }
    })
}

/// Markdown with its emphasis marks and backslash escapes taken out, so `**La**ura` reads
/// as `Laura`.
fn markdown_unmarked(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut chars = md.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '*' | '_' | '`' | '~' => {}
            other => out.push(other),
        }
    }
    out
}

/// The parts of a zip (Word or Excel file) that hold XML, with their text.
fn zip_parts(bytes: &[u8]) -> Result<Vec<(String, String)>> {
    let bad =
        |e: String| Error::invalid("export", format!("the file to scan is not readable: {e}"));
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| bad(e.to_string()))?;
        let name = f.name().map_err(|e| bad(e.to_string()))?.into_owned();
        let mut data = Vec::new();
        f.read_to_end(&mut data).map_err(|e| bad(e.to_string()))?;
        // Every part is scanned; binary ones (images) as lossy text, which finds nothing
        // meaningful but costs little.
        parts.push((name, String::from_utf8_lossy(&data).into_owned()));
    }
    Ok(parts)
}

/// Scans `bytes` in `format` for leaks. The hits are in file order, one per key.
pub fn scan(format: ExportFormat, bytes: &[u8], p: &Pseudonymiser) -> Result<Vec<LeakHit>> {
    let mut hits = Hits::default();
    match format {
        ExportFormat::Docx | ExportFormat::Xlsx => {
            for (name, text) in zip_parts(bytes)? {
                if name.ends_with(".xml") || name.ends_with(".rels") || name.ends_with(".vml") {
                    for unit in markup_units(&text, &["p", "si", "is"], office_role) {
                        scan_text(p, &name, &unit, &mut hits);
                    }
                } else {
                    scan_text(p, &name, &text, &mut hits);
                }
            }
        }
        ExportFormat::Html => {
            let text = String::from_utf8_lossy(bytes);
            for unit in html_units(&text) {
                scan_text(p, "html", &unit, &mut hits);
            }
            // Attribute values and anything the tag reading missed: the raw text too.
            let mut raw = Hits::default();
            scan_text(p, "html", &decode_entities(&text), &mut raw);
            hits.merge(raw);
        }
        ExportFormat::Md => {
            let text = String::from_utf8_lossy(bytes);
            scan_text(p, "markdown", &text, &mut hits);
            let mut unmarked = Hits::default();
            scan_text(p, "markdown", &markdown_unmarked(&text), &mut unmarked);
            hits.merge(unmarked);
        }
        ExportFormat::Csv => {
            let text = String::from_utf8_lossy(bytes);
            scan_text(p, "csv", &text, &mut hits);
        }
    }
    Ok(hits.list)
}

/// Refuses when any hit is not in `allow` (by key): a [`Error::Leaks`] listing each.
pub fn refuse_unless_allowed(hits: Vec<LeakHit>, allow: &[String]) -> Result<()> {
    let left: Vec<LeakHit> = hits
        .into_iter()
        .filter(|h| !allow.iter().any(|a| a.trim() == h.key))
        .collect();
    if left.is_empty() {
        Ok(())
    } else {
        Err(Error::Leaks { hits: left })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_birth_and_international_numbers() {
        let p = Pseudonymiser::new(&[]).unwrap();
        for (text, kind) in [
            (
                "She was born on 3rd March 2015 in Leeds.",
                LeakKind::DateOfBirth,
            ),
            ("Date of birth: 2015-03-03.", LeakKind::DateOfBirth),
            ("D.O.B. 03.03.15", LeakKind::DateOfBirth),
            ("Call +44 7700 900123 today", LeakKind::Phone),
            ("Office 0114 496 0000.", LeakKind::Phone),
        ] {
            let mut hits = Hits::default();
            scan_text(&p, "t", text, &mut hits);
            assert_eq!(
                hits.list.iter().map(|h| h.kind).collect::<Vec<_>>(),
                vec![kind],
                "{text}"
            );
        }
        // Years, section numbers, counts and plain dates are not identifying on their own.
        let mut hits = Hits::default();
        scan_text(
            &p,
            "t",
            "In 2010 (section 4.2.1) 35% of 1200 cases were seen on 03/03/2015 at 10:30.",
            &mut hits,
        );
        assert!(hits.list.is_empty(), "{:?}", hits.list);
    }

    #[test]
    fn nhs_check_digit() {
        let d = |s: &str| s.chars().filter_map(|c| c.to_digit(10)).collect::<Vec<_>>();
        assert!(nhs_check_digit_ok(&d("943 476 5919")));
        assert!(!nhs_check_digit_ok(&d("943 476 5918")));
    }

    #[test]
    fn units_join_runs_but_not_paragraphs() {
        let xml = r#"<w:body><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>La</w:t></w:r><w:r><w:t xml:space="preserve">ura &amp; co</w:t></w:r></w:p><w:p><w:r><w:t>Next</w:t></w:r></w:p></w:body>"#;
        let units = markup_units(xml, &["p", "si", "is"], office_role);
        assert_eq!(units, vec!["Laura & co", "Next"]);
        let html = "<p><strong>La</strong>ura</p><p>Smith</p><style>p{}</style>";
        assert_eq!(html_units(html), vec!["Laura", "Smith"]);
    }

    #[test]
    fn patterns() {
        let p = Pseudonymiser::new(&[]).unwrap();
        let mut hits = Hits::default();
        scan_text(
            &p,
            "t",
            "Lives at SW1A 1AA, tel 020 7946 0018 or 07700 900123; NHS 943 476 5919; DOB: 03/04/2015. Section 4.2 in 2019 had 12 cases.",
            &mut hits,
        );
        let kinds: Vec<LeakKind> = hits.list.iter().map(|h| h.kind).collect();
        assert_eq!(
            kinds,
            vec![
                LeakKind::Postcode,
                LeakKind::Phone,
                LeakKind::Phone,
                LeakKind::NhsNumber,
                LeakKind::DateOfBirth
            ],
            "{:#?}",
            hits.list
        );
    }
}
