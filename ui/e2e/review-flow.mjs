//! The browser check of the Review panel (issue 7, item 7), kept apart from flows.mjs like the
//! register's: `REVIEW_CHECK` is the entry to add to `CHECKS`. It walks the chair's path on
//! the demo: issue a draft, read it, comment on selected words (Ctrl+Alt+M), approve a section,
//! see the approval go stale and the words change once the text is edited, return the
//! comments, and import a pack whose one comment is orphaned. It needs from mock-ipc.js the
//! review-cycle commands (`reviewCycleCommands`).

import assert from 'node:assert/strict';

/** Runs axe on the page as it is; fails on serious or critical violations, logs the rest. */
async function axeCheck(page, ctx, where) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(ctx.axeSource);
  }
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 4).map((n) => n.target.join(' ')),
      count: v.nodes.length,
    }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of violations.filter((x) => !bad.includes(x))) {
    ctx.log?.(`axe ${where}: ${v.impact} ${v.id} (${v.count}): ${v.help} — ${v.targets.join(', ')}`);
  }
  assert.deepEqual(
    bad.map((v) => `${v.impact} ${v.id} (${v.count}): ${v.help} — ${v.targets.join(', ')}`),
    [],
    `axe on ${where}`,
  );
}

const callsOf = (page, command) =>
  page.evaluate((c) => window.__e2e.calls.filter((x) => x.command === c).map((x) => x.args), command);

/** Selects the first place `words` stand in the text of section `id`, as a mouse would. */
async function selectWords(page, id, words) {
  await page.evaluate(
    ([id, words]) => {
      const body = document.querySelector(`[data-section-body="${id}"]`);
      const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.indexOf(words);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + words.length);
        const sel = document.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        body.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
        return;
      }
      throw new Error(`"${words}" is not in section ${id}`);
    },
    [id, words],
  );
}

export const REVIEW_CHECK = {
  name: 'Review: issue a draft, comment on words, approve, stale after an edit, return and import a pack',
  async run(ctx) {
    const f = ctx.fixture;
    const page = await ctx.newPage({ open: true });
    const intro = f.sections.overview[0];
    const sectionCount = f.sections.overview.length + f.sections.summary.length;

    await page.locator('nav[aria-label="Panels"] [data-panel="review"]').click();
    await page.getByRole('heading', { level: 1, name: 'Review' }).waitFor();
    await page.getByRole('region', { name: 'No drafts issued yet' }).waitFor();

    // Issue a draft: the dialog says what will be frozen.
    await page.getByRole('button', { name: 'Issue draft…' }).first().click();
    const issue = page.getByRole('dialog', { name: 'Issue Draft 1' });
    const frozen = issue.locator('[data-frozen]');
    await frozen.waitFor();
    assert.match(await frozen.innerText(), new RegExp(`${sectionCount} sections, ${f.findings.length} findings`));
    await issue.getByRole('button', { name: 'Issue draft' }).click();
    await issue.waitFor({ state: 'detached' });
    assert.deepEqual(await callsOf(page, 'issue_draft'), [{ label: null }]);
    const draftPage = page.getByRole('article', { name: 'Draft 1: Overview report' });
    await draftPage.getByRole('heading', { name: intro.heading }).waitFor();
    await axeCheck(page, ctx, 'a draft read in the Review panel');

    // Comment on words selected in the first section, from the keyboard.
    const words = '18 months old';
    await selectWords(page, intro.id, words);
    await page.keyboard.press('Control+Alt+m');
    const dialog = page.getByRole('dialog', { name: 'Comment on these words' });
    await dialog.getByText(`“${words}”`).waitFor();
    await dialog.getByLabel('Comment').fill('Give his date of birth instead.');
    await dialog.getByRole('button', { name: 'Add comment' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.deepEqual(await callsOf(page, 'comment_on_quote'), [
      { targetKind: 'section', targetId: intro.id, quote: words, body: 'Give his date of birth instead.' },
    ]);
    // The words are marked in the read view, and the thread is under the section.
    const mark = page.locator(`[data-section-body="${intro.id}"] mark`);
    await mark.waitFor();
    assert.equal(await mark.innerText(), words);
    await page.getByRole('group', { name: `Comments on ${intro.heading}` }).getByText('Give his date of birth instead.').waitFor();

    // Approve the section; it goes stale once the author changes its text.
    await page.getByRole('button', { name: `Approve “${intro.heading}”` }).click();
    const verdicts = page.getByRole('list', { name: `Verdicts on ${intro.heading}` });
    await verdicts.getByText('Approved').waitFor();
    assert.equal(await verdicts.getByText('Stale').count(), 0);
    await page.evaluate((id) => {
      const s = window.__e2e.data.sections.overview.find((x) => x.id === id);
      s.body = s.body.replace('18 months old', 'a toddler');
      // The same review, changed: every panel reloads.
      const { path, details, stats } = window.__e2e.data.review_info;
      window.__e2e.emit('review-changed', { path, details, stats });
    }, intro.id);
    await verdicts.getByText('Stale').waitFor();
    await page.locator('[data-changed-since]').waitFor();
    // Its words are gone: the thread stays, marked orphaned, with its quote.
    const thread = page.locator('[data-thread]').filter({ hasText: 'Give his date of birth instead.' });
    await thread.getByText('Orphaned').waitFor();
    assert.equal(await page.locator(`[data-section-body="${intro.id}"] mark`).count(), 0);

    // What changed since Draft 1: the old words deleted, the new inserted.
    await page.getByRole('tab', { name: 'What changed' }).click();
    const changed = page.locator(`[data-diff-section="${intro.id}"]`);
    await changed.locator('del').first().waitFor();
    assert.match(await changed.locator('del').first().innerText(), /18 months old/);
    assert.match(await changed.locator('ins').first().innerText(), /a toddler/);
    await axeCheck(page, ctx, 'what changed');

    // Return the comments: the save dialog's path, with .json.
    await page.getByRole('button', { name: 'Return comments…' }).click();
    await page.getByText(/Wrote your comments to .*\.json: 1 comment and 1 approval\./).waitFor();
    const [returned] = await callsOf(page, 'return_pack');
    assert.match(returned.out, /\.json$/);

    // Import a pack with one comment whose words are no longer there.
    await page.evaluate(
      ([sectionId]) => {
        window.__e2e.pack = {
          comments: [
            {
              id: 'e2e-pack-1',
              parent_id: null,
              author: 'Pat Chair',
              role: 'chair',
              created_at: '2026-12-02T10:00:00.000Z',
              target_kind: 'section',
              target_id: sectionId,
              anchor: { exact: 'words the author deleted', prefix: '', suffix: '' },
              body: 'This needs a source.',
              resolved: false,
            },
          ],
          report: {
            made_by: 'Pat Chair',
            merged: 1,
            updated: 0,
            unchanged: 0,
            reanchored: 0,
            orphaned: [{ comment_id: 'e2e-pack-1', quote: 'words the author deleted' }],
            skipped: [],
            records_replaced: 0,
          },
        };
        window.__e2e.chooseFile('/home/reviewer/chair-comments.json');
      },
      [intro.id],
    );
    await page.getByRole('button', { name: 'Import comments…' }).click();
    const report = page.getByRole('dialog', { name: 'Comments imported' });
    await report.getByRole('list', { name: 'Orphaned comments' }).getByText('“words the author deleted”').waitFor();
    assert.equal(await report.locator('[data-count="merged"]').innerText(), '1');
    await axeCheck(page, ctx, 'the pack import report');
    await report.getByRole('button', { name: 'Show comments' }).click();
    await report.waitFor({ state: 'detached' });
    const imported = page.locator('[data-thread]').filter({ hasText: 'This needs a source.' });
    await imported.getByText('Orphaned').waitFor();
    assert.match(await imported.innerText(), /words the author deleted/);
    ctx.log?.('issued, commented, approved, went stale, compared, returned and imported');
  },
};
