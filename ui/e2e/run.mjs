#!/usr/bin/env node
//! `npm run e2e`: the browser flows against the built UI.
//!
//! Serves ui/dist on 127.0.0.1 (with the shell's CSP), starts Debian's Chromium through
//! playwright-core (never a downloaded browser) with a fresh profile, plays the Tauri shell in
//! each page from the demo fixture (mock-ipc.js), runs every check in flows.mjs and prints one
//! line per check and a summary. Builds nothing: run `npm run build` first. Exits non-zero when
//! any check fails or when the whole run takes longer than its time limit.
//!
//! Options: `--only <text>` runs the checks whose name contains the text;
//! E2E_CHROMIUM overrides the browser path; E2E_SHOTS=<dir> saves a screenshot of each failure.

import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { CHECKS } from './flows.mjs';
import { installMock } from './mock-ipc.js';
import { serve } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ui = join(here, '..');
const dist = join(ui, 'dist');
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
/** The whole run, browser start included, must end within this. */
const RUN_LIMIT_MS = 110_000;
/** One check must end within this. */
const CHECK_LIMIT_MS = 30_000;
/** Any single wait (a selector, a function) within a check. */
const ACTION_TIMEOUT_MS = 10_000;

/** The CSP the shell gives the window, from its own configuration when it is there. */
function shellCsp() {
  const conf = join(ui, '..', 'src-tauri', 'tauri.conf.json');
  try {
    return JSON.parse(readFileSync(conf, 'utf8')).app?.security?.csp ?? null;
  } catch {
    return null;
  }
}

function argValue(name) {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

async function main() {
  const started = Date.now();
  if (!existsSync(join(dist, 'index.html'))) {
    console.error('e2e: ui/dist/index.html is missing; run `npm run build` in ui/ first.');
    console.log('0 passed, 1 failed');
    return 1;
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`e2e: no Chromium at ${CHROMIUM} (apt-get install chromium).`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const fixture = JSON.parse(readFileSync(join(here, 'fixtures', 'demo.json'), 'utf8'));
  const axeSource = readFileSync(join(ui, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  const only = argValue('--only');
  const checks = only ? CHECKS.filter((c) => c.name.includes(only)) : CHECKS;
  if (checks.length === 0) {
    console.error(`e2e: no check matches "${only}".`);
    return 1;
  }
  const shots = process.env.E2E_SHOTS;
  if (shots) mkdirSync(shots, { recursive: true });

  const server = await serve(dist, { csp: shellCsp() });
  const profile = mkdtempSync(join(tmpdir(), 'threadline-e2e-'));
  let context;
  let passed = 0;
  let failed = 0;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 800 },
      locale: 'en-GB',
      timezoneId: 'Europe/London',
      reducedMotion: 'reduce',
    });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    // Nothing but the local server is ever reached.
    await context.route(
      (url) => url.hostname !== '127.0.0.1',
      (route) => route.abort('blockedbyclient'),
    );
    for (const blank of context.pages()) await blank.close();
    console.log(`e2e: ${checks.length} checks, Chromium ${context.browser()?.version() ?? ''} at ${server.url}`);

    for (const check of checks) {
      const t0 = Date.now();
      const pages = [];
      const problems = [];
      /** Opens a page with the shell mocked; `options.open` starts with the demo open. */
      const newPage = async (options = {}) => {
        const page = await context.newPage();
        const entry = { page, errors: [] };
        pages.push(entry);
        page.on('pageerror', (e) => entry.errors.push(`uncaught: ${e.message}`));
        page.on('console', (m) => {
          if (m.type() === 'error') entry.errors.push(`console: ${m.text()}`);
        });
        await page.addInitScript(installMock, { fixture, options });
        await page.goto(server.url);
        return page;
      };
      const ctx = { newPage, fixture, axeSource, log: (line) => console.log(`      ${line}`) };
      try {
        await withTimeout(check.run(ctx), CHECK_LIMIT_MS, check.name);
        for (const { page, errors } of pages) {
          if (page.isClosed()) continue;
          const unexpected = await page.evaluate(() => window.__e2e.unexpected.map((c) => c.command));
          if (unexpected.length) problems.push(`commands the shell does not answer here: ${unexpected.join(', ')}`);
          problems.push(...errors);
        }
        if (problems.length) throw new Error(problems.join('\n'));
        passed += 1;
        console.log(`  ok   ${check.name} (${Date.now() - t0} ms)`);
      } catch (error) {
        failed += 1;
        console.log(`  FAIL ${check.name} (${Date.now() - t0} ms)`);
        console.log(String(error?.stack ?? error).split('\n').slice(0, 12).map((l) => `       ${l}`).join('\n'));
        for (const { errors } of pages) for (const e of errors) console.log(`       ${e}`);
        if (shots && pages.length) {
          const file = join(shots, `${check.name.replace(/[^a-z0-9]+/gi, '-')}.png`);
          await pages[pages.length - 1].page.screenshot({ path: file }).catch(() => {});
          console.log(`       screenshot: ${file}`);
        }
      } finally {
        for (const { page } of pages) await page.close().catch(() => {});
      }
    }
  } finally {
    await context?.close().catch(() => {});
    await server.close();
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
  console.log(`e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

const guard = setTimeout(() => {
  console.error(`e2e: the run took longer than ${RUN_LIMIT_MS / 1000} s; stopping.`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}, RUN_LIMIT_MS);
guard.unref();

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
