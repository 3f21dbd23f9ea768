#!/usr/bin/env node
//! `npm run bench:editor`: does a 20,000-word section type without lag?
//!
//! Serves the built UI (ui/dist) like run.mjs, in Debian's Chromium through playwright-core,
//! with the shell played from the demo fixture (mock-ipc.js) whose second overview section is
//! replaced by a generated one of 20,000 words with a citation about every 200 words (plus
//! some bold and italic). It measures:
//! - load: from the click on that section to the editor showing all its citation numbers;
//! - keystroke latency: for 300 keystrokes typed in the middle of the section and 300 at the
//!   end, the time from the keydown event to the frame after ProseMirror updated the page
//!   (a requestAnimationFrame, then a task after it, so the paint is counted), as p50 / p95 /
//!   max in milliseconds; and long tasks (over 50 ms) seen while typing;
//! - the save that follows (autosave after the pause): from the last key to `update_section`,
//!   and the longest task around it (serializing 20,000 words, rendering the document again).
//! Builds nothing: run `npm run build` first. Prints the figures and a JSON line.
//!
//! Options: --words N (default 20000), --keys N (default 300), --delay MS between keys
//! (default 25); E2E_CHROMIUM overrides the browser path.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { installMock } from './mock-ipc.js';
import { serve } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ui = join(here, '..');
const dist = join(ui, 'dist');
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

function argNumber(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const WORDS = argNumber('--words', 20_000);
const KEYS = argNumber('--keys', 300);
const DELAY = argNumber('--delay', 25);

const VOCABULARY = (
  'the health visitor recorded that mother said the family had moved and the records were ' +
  'transferred without a handover so the plan of targeted support was lost agencies held ' +
  'information about risk in the household that had not been brought together practitioners ' +
  'acted on what was in front of them at the time of each decision'
).split(' ');

/** A body of `words` words in paragraphs of about 100, a citation about every 200 words. */
function bigBody(fixture, words) {
  const ids = [
    ...fixture.findings.map((f) => `finding:${f.id}`),
    ...Object.values(fixture.excerpts).flat().map((x) => `excerpt:${x.id}`),
    ...fixture.chronology.map((c) => `chronology:${c.id}`),
  ];
  const paragraphs = [];
  let words_ = [];
  let cites = 0;
  for (let i = 1; i <= words; i++) {
    let word = VOCABULARY[(i * 7) % VOCABULARY.length];
    if (i % 97 === 0) word = `**${word}**`;
    else if (i % 89 === 0) word = `*${word}*`;
    words_.push(word);
    if (i % 200 === 0) words_.push(`[[${ids[cites++ % ids.length]}]]`);
    if (i % 100 === 0) {
      paragraphs.push(`${words_.join(' ')}.`);
      words_ = [];
    }
  }
  if (words_.length) paragraphs.push(`${words_.join(' ')}.`);
  return { body: paragraphs.join('\n\n'), citations: cites, paragraphs: paragraphs.length };
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const r = (x) => Math.round(x * 10) / 10;
  return { n: sorted.length, p50: r(at(0.5)), p95: r(at(0.95)), max: r(sorted.at(-1)) };
}

/** Installs the keydown → next-frame probe in the page. */
function installProbe() {
  const w = window;
  w.__bench = { samples: [], longTasks: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__bench.longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: false });
  document.addEventListener(
    'keydown',
    (event) => {
      const t0 = performance.now();
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => w.__bench.samples.push(performance.now() - t0);
        channel.port2.postMessage(0);
      });
      void event;
    },
    true,
  );
}

/** Puts the caret in the middle of the editor's middle paragraph (or at the very end). */
function placeCaret(where) {
  const box = document.querySelector('[data-rich-editor]');
  const paragraphs = box.querySelectorAll(':scope > p');
  const p = where === 'end' ? paragraphs[paragraphs.length - 1] : paragraphs[Math.floor(paragraphs.length / 2)];
  let text = null;
  for (const node of p.childNodes) if (node.nodeType === Node.TEXT_NODE && node.data.length > 20) text = node;
  box.focus();
  const range = document.createRange();
  if (where === 'end' || !text) {
    range.selectNodeContents(p);
    range.collapse(false);
  } else {
    range.setStart(text, Math.floor(text.data.length / 2));
    range.collapse(true);
  }
  const sel = getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  p.scrollIntoView({ block: 'center' });
}

async function typeRun(page, label) {
  await page.evaluate(() => {
    window.__bench.samples = [];
    window.__bench.longTasks = [];
  });
  const phrase = 'typed without lag ';
  const calls = await page.evaluate(() => window.__e2e.calls.filter((c) => c.command === 'update_section').length);
  for (let i = 0; i < KEYS; i++) {
    await page.keyboard.type(phrase[i % phrase.length]);
    await page.waitForTimeout(DELAY);
  }
  const lastKey = Date.now();
  await page.waitForFunction(() => window.__bench.samples.length > 0);
  await page.waitForTimeout(200);
  const { samples, longTasks } = await page.evaluate(() => window.__bench);
  // The autosave after the pause carries the whole section.
  await page.waitForFunction((n) => window.__e2e.calls.filter((c) => c.command === 'update_section').length > n, calls, {
    timeout: 20_000,
  });
  const saveMs = Date.now() - lastKey;
  // The save serializes the whole section and the document is rendered again: wait for that
  // and see whether it blocked the page.
  await page.waitForTimeout(600);
  const saveTasks = await page.evaluate((n) => window.__bench.longTasks.slice(n), longTasks.length);
  const body = await page.evaluate(() => window.__e2e.calls.filter((c) => c.command === 'update_section').at(-1).args.input.body);
  return {
    label,
    latency: stats(samples),
    longTasks: longTasks.length,
    longestTask: Math.round(Math.max(0, ...longTasks)),
    saveMs,
    saveLongest: Math.round(Math.max(0, ...saveTasks)),
    body,
  };
}

async function main() {
  if (!existsSync(join(dist, 'index.html'))) {
    console.error('bench-editor: ui/dist/index.html is missing; run `npm run build` in ui/ first.');
    return 1;
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`bench-editor: no Chromium at ${CHROMIUM} (apt-get install chromium).`);
    return 1;
  }
  const fixture = JSON.parse(readFileSync(join(here, 'fixtures', 'demo.json'), 'utf8'));
  const big = bigBody(fixture, WORDS);
  const target = fixture.sections.overview[1];
  target.body = big.body;
  const server = await serve(dist, { csp: null });
  const profile = mkdtempSync(join(tmpdir(), 'threadline-bench-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      viewport: { width: 1280, height: 800 },
    });
    await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort('blockedbyclient'));
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(installMock, { fixture, options: { open: true } });
    await page.addInitScript(installProbe);
    await page.goto(server.url);
    await page.locator('nav[aria-label="Panels"]').waitFor({ timeout: 20_000 });
    await page.keyboard.press('Control+7');
    await page.locator('main#panel[aria-label="Report"] [data-rich-editor]').waitFor({ timeout: 20_000 });

    // Load: click the big section; done when every citation shows its number.
    const t0 = Date.now();
    await page.getByRole('button', { name: target.heading, exact: true }).click();
    await page.waitForFunction(
      (n) => {
        const marks = document.querySelectorAll('[data-rich-editor] .citation-mark');
        return marks.length === n && [...marks].every((m) => /^\[\d+\]$/.test(m.textContent));
      },
      big.citations,
      { timeout: 30_000 },
    );
    const loadMs = Date.now() - t0;
    const shownWords = await page.evaluate(
      () => document.querySelector('[data-rich-editor]').textContent.split(/\s+/).filter(Boolean).length,
    );

    await page.evaluate(placeCaret, 'middle');
    const middle = await typeRun(page, 'middle');
    await page.evaluate(placeCaret, 'end');
    const end = await typeRun(page, 'end');

    const typed = (KEYS / 'typed without lag '.length) | 0;
    const count = (s, needle) => s.split(needle).length - 1;
    const ok =
      errors.length === 0 &&
      count(end.body, 'typed without lag') >= 2 * typed &&
      count(end.body, '[[') === big.citations;
    const r = {
      words: WORDS,
      shownWords,
      citations: big.citations,
      paragraphs: big.paragraphs,
      loadMs,
      middle: { ...middle.latency, longTasks: middle.longTasks, longestTaskMs: middle.longestTask, saveMs: middle.saveMs, saveLongestTaskMs: middle.saveLongest },
      end: { ...end.latency, longTasks: end.longTasks, longestTaskMs: end.longestTask, saveMs: end.saveMs, saveLongestTaskMs: end.saveLongest },
      chromium: context.browser()?.version() ?? '',
      ok,
      errors,
    };
    console.log(`bench-editor: ${WORDS} words, ${big.citations} citations, ${big.paragraphs} paragraphs (${shownWords} words on screen)`);
    console.log(`  load (click → all numbers shown): ${loadMs} ms`);
    for (const run of [middle, end]) {
      const l = run.latency;
      console.log(
        `  ${run.label.padEnd(6)} ${l.n} keys: keydown → next frame p50 ${l.p50} ms, p95 ${l.p95} ms, max ${l.max} ms; ` +
          `long tasks ${run.longTasks} (longest ${run.longestTask} ms); autosave ${run.saveMs} ms after the last key, ` +
          `longest task around it ${run.saveLongest} ms`,
      );
    }
    console.log(`  saved body keeps every citation and the typed text: ${ok ? 'yes' : 'NO'}`);
    console.log(JSON.stringify(r));
    return ok ? 0 : 1;
  } finally {
    await context?.close().catch(() => {});
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

process.exitCode = await main();
