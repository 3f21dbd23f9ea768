#!/usr/bin/env python3
"""Checks the demo review's content before (and independently of) the Rust builder.

Splits each source text the way `split_plain_text` in src/model/sources.rs does (every
non-blank line is a paragraph; a leading "3.2.1" / "4." label moves out of the text; short
numbered lines starting with a capital are headings), then checks that every reference in
case.json resolves: paragraph labels, exact quotes, and the keys used between sections
(agencies, people, ToR, themes, findings, chronology, excerpts, recommendations, panel).

Run: python3 demo/check_demo.py   (exit status 1 and a list of problems when anything fails)
"""

import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
problems = []


def problem(msg):
    problems.append(msg)


def split_label(line):
    """Mirror of sources.rs split_label for the forms the demo texts use."""
    parts = line.split(None, 1)
    if len(parts) < 2:
        return None, line
    token, rest = parts[0], parts[1].lstrip()
    m = re.fullmatch(r"\((\d{1,3}|[A-Za-z]|[ivxlc]{1,5})\)", token)
    if m:
        return m.group(1), rest
    closed = token.endswith(")") or token.endswith(".")
    body = token[:-1] if closed else token
    pieces = body.split(".")
    numeric = all(1 <= len(p) <= 3 and p.isdigit() for p in pieces)
    if numeric and (closed or len(pieces) > 1):
        return body, rest
    return None, line


def heading_level(line, label, rest):
    if len(line) > 80 or rest.endswith((".", ",", ";", "?", "!")):
        return 0
    depth = None
    if label is not None and all(ch.isdigit() or ch == "." for ch in label):
        depth = len(label.split("."))
    upper = sum(1 for ch in rest if ch.isupper())
    all_caps = upper >= 2 and not any(ch.islower() for ch in rest)
    starts_capital = rest[:1].isupper()
    if depth is not None and starts_capital:
        return min(depth, 2)
    if label is None and all_caps:
        return 1
    return 0


def split_plain_text(text):
    out = []
    for raw in re.split(r"[\r\n]", text):
        line = raw.strip()
        if not line:
            continue
        label, rest = split_label(line)
        out.append({"label": label, "level": heading_level(line, label, rest), "text": rest})
    return out


def iso(value, what):
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        problem(f"{what}: '{value}' is not an ISO date")
        return None


def main():
    case = json.loads((HERE / "case.json").read_text(encoding="utf-8"))

    def keys(section):
        ks = [item["key"] for item in case[section]]
        for k, n in Counter(ks).items():
            if n > 1:
                problem(f"{section}: key {k} used {n} times")
        return set(ks)

    agencies = keys("agencies")
    people = keys("people")
    panel = keys("panel")
    tors = keys("tor")
    themes = keys("themes")
    chron_keys = keys("chronology")
    findings = keys("findings")
    recs = keys("recommendations")
    source_keys = keys("sources")

    d = case["details"]
    rs, re_ = iso(d["review_period_start"], "review start"), iso(d["review_period_end"], "review end")
    cs, ce = iso(d["context_period_start"], "context start"), iso(d["context_period_end"], "context end")

    # Sources: split and index paragraphs by label.
    paras = {}
    total = 0
    for s in case["sources"]:
        path = HERE / "sources" / s["file"]
        text = path.read_text(encoding="utf-8")
        if any(ord(ch) > 127 for ch in text):
            problem(f"{s['file']}: contains non-ASCII characters")
        ps = split_plain_text(text)
        total += len(ps)
        if not 40 <= len(ps) <= 80:
            problem(f"{s['file']}: {len(ps)} paragraphs (want 40-80)")
        labels = Counter(p["label"] for p in ps if p["label"])
        for label, n in labels.items():
            if n > 1:
                problem(f"{s['file']}: label {label} occurs {n} times")
        paras[s["key"]] = {p["label"]: p for p in ps if p["label"]}
        heads = sum(1 for p in ps if p["level"] > 0)
        print(f"{s['file']}: {len(ps)} paragraphs, {heads} headings")
        if s.get("agency") and s["agency"] not in agencies:
            problem(f"source {s['key']}: unknown agency {s['agency']}")
    print(f"paragraphs in all: {total}")
    if total < 250:
        problem(f"only {total} paragraphs (want 250+)")

    def para(source, label, where):
        if source not in paras:
            problem(f"{where}: unknown source {source}")
            return None
        p = paras[source].get(label)
        if p is None:
            problem(f"{where}: no paragraph labelled {label} in {source}")
        return p

    # Chronology.
    periods = Counter()
    kpe = missed = 0
    for c in case["chronology"]:
        where = f"chronology {c['key']}"
        day = iso(c["date"], where)
        if c.get("agency") and c["agency"] not in agencies:
            problem(f"{where}: unknown agency {c['agency']}")
        for p in c.get("people", []):
            if p not in people:
                problem(f"{where}: unknown person {p}")
        if "source" in c:
            para(c["source"], c["para"], where)
        if c.get("missed_opportunity") and not c.get("missed_rationale", "").strip():
            problem(f"{where}: missed opportunity without rationale")
        kpe += c.get("significance") == "key_practice_episode"
        missed += bool(c.get("missed_opportunity"))
        if day:
            if rs <= day <= re_:
                periods["review"] += 1
            elif cs <= day <= ce:
                periods["context"] += 1
            else:
                periods["outside"] += 1
    print(f"chronology: {len(case['chronology'])} entries {dict(periods)}, "
          f"{kpe} key practice episodes, {missed} missed opportunities")
    if len(case["chronology"]) < 60 or periods["review"] == 0 or periods["context"] == 0:
        problem("chronology needs 60+ entries in both periods")
    if kpe < 3 or missed < 3:
        problem("chronology needs 3+ key practice episodes and 3+ missed opportunities")

    # Findings and their evidence.
    excerpts = {}
    answered = set()
    for f in case["findings"]:
        where = f"finding {f['key']}"
        if f["theme"] not in themes:
            problem(f"{where}: unknown theme {f['theme']}")
        for t in f["tor"]:
            if t not in tors:
                problem(f"{where}: unknown ToR {t}")
            answered.add(t)
        if not f["evidence"]:
            problem(f"{where}: no evidence")
        for e in f["evidence"]:
            if "chronology" in e:
                if e["chronology"] not in chron_keys:
                    problem(f"{where}: unknown chronology entry {e['chronology']}")
                continue
            p = para(e["source"], e["para"], where)
            if p is not None and e["quote"] not in p["text"]:
                problem(f"{where}: quote not found in {e['source']} {e['para']}: \"{e['quote']}\"")
            if "key" in e:
                if e["key"] in excerpts:
                    problem(f"{where}: excerpt key {e['key']} reused")
                excerpts[e["key"]] = e
    for t in tors - answered:
        problem(f"ToR {t} is answered by no finding")
    print(f"findings: {len(case['findings'])}, excerpts with keys: {len(excerpts)}")

    # Recommendations.
    for r in case["recommendations"]:
        where = f"recommendation {r['key']}"
        for k in ("origin_agency", "addressee"):
            if r.get(k) and r[k] not in agencies:
                problem(f"{where}: unknown agency {r[k]}")
        for f in r["findings"]:
            if f not in findings:
                problem(f"{where}: unknown finding {f}")
        if not r["actions"]:
            problem(f"{where}: no actions")
        for a in r["actions"]:
            if a["status"] == "complete" and not a.get("completion_evidence"):
                problem(f"{where}: complete action without evidence")
            iso(a["due_date"], where)
    print(f"recommendations: {len(case['recommendations'])}")

    # Panel and meetings.
    for m in case["meetings"]:
        for a in m["attendees"]:
            if a not in panel:
                problem(f"meeting {m['date']}: unknown panel member {a}")

    # Section citations.
    known = {
        "finding": findings, "excerpt": set(excerpts), "chronology": chron_keys,
        "recommendation": recs, "tor": tors, "source": source_keys,
    }
    cites = 0
    headings = set()
    for s in case["sections"]:
        headings.add(s["heading"])
        for kind, key in re.findall(r"\{\{(\w+):([^}]+)\}\}", s["body"]):
            cites += 1
            if key not in known.get(kind, set()):
                problem(f"section '{s['heading']}': unknown citation {kind}:{key}")
        rest = re.sub(r"\{\{\w+:[^}]+\}\}", "", s["body"])
        if "{{" in rest or "}}" in rest:
            problem(f"section '{s['heading']}': malformed citation")
    print(f"sections: {len(case['sections'])}, citations: {cites}")

    for c in case["comments"]:
        kind, key = c["target"].split(":", 1)
        pool = headings if kind == "section" else known.get(kind, set())
        if key not in pool:
            problem(f"comment: unknown target {c['target']}")

    if problems:
        print("\nPROBLEMS:")
        for p in problems:
            print(" -", p)
        sys.exit(1)
    print("all references resolve")


if __name__ == "__main__":
    main()
