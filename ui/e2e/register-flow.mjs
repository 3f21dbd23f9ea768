//! The browser check of the Names & pseudonyms panel (issue 6, item 1), kept apart from
//! flows.mjs until the panel is wired into the sidebar. `registerFlow(page, ctx)` takes a page
//! opened with a review (`ctx.newPage({ open: true })`) and `ctx` as run.mjs gives it
//! (`axeSource`, `log`); `REGISTER_CHECK` is the entry to add to `CHECKS`.
//!
//! It seeds the page's copy of the data with a small register (and one chronology entry that
//! involves a person), so it needs from mock-ipc.js only the register commands: `people`,
//! `person`, `add_person`, `update_person`, `move_person`, `delete_person`.
//!
//! Real names are sensitive: the flow also checks that none reaches a toast or the window title.

import assert from 'node:assert/strict';

const LABEL = 'Names & pseudonyms';

/** The register the flow starts from; ids are the flow's own. */
const SEED = [
  {
    id: 'e2e-reg-laura',
    category: 'person',
    real_name: 'Laura Smith',
    aliases: ['Lolly'],
    pseudonym: 'Child S',
    role: 'subject',
    relation: 'the child',
    safe_to_name: false,
  },
  {
    id: 'e2e-reg-darren',
    category: 'person',
    real_name: 'Darren Smith',
    aliases: [],
    pseudonym: '',
    role: 'father',
    relation: '',
    safe_to_name: false,
  },
  {
    id: 'e2e-reg-police',
    category: 'organisation',
    real_name: 'South Yorkshire Police',
    aliases: [],
    pseudonym: '',
    role: 'agency',
    relation: '',
    safe_to_name: true,
  },
];

const REAL_NAMES = ['Laura', 'Darren', 'Ashley Brown', 'Smith'];

/** The calls of one command the page made so far. */
const callsOf = (page, command) =>
  page.evaluate((c) => window.__e2e.calls.filter((x) => x.command === c).map((x) => x.args), command);

async function waitForCalls(page, command, count) {
  await page.waitForFunction(
    ([c, n]) => window.__e2e.calls.filter((x) => x.command === c).length >= n,
    [command, count],
  );
  return callsOf(page, command);
}

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

/** No toast on screen and not the window title quotes a real name. */
async function assertNoNamesShownOutsidePanel(page, step) {
  const { toasts, title } = await page.evaluate(() => ({
    toasts: document.querySelector('.toasts')?.textContent ?? '',
    title: document.title,
  }));
  for (const name of REAL_NAMES) {
    assert.ok(!toasts.includes(name), `${step}: no toast quotes "${name}" (toasts: ${toasts.trim()})`);
    assert.ok(!title.includes(name), `${step}: the window title does not quote "${name}"`);
  }
}

/** The needs-a-pseudonym count the header shows. */
const needsCount = (page) =>
  page.locator('main#panel [data-needs-count]').getAttribute('data-needs-count').then(Number);

/**
 * Opens the register from the sidebar and works through it: the count of entries that need a
 * pseudonym, adding a person with a typed alias and a suggested variant, a pseudonym clash
 * shown next to its field with nothing typed lost, a pseudonym given in place, and a delete the
 * core refuses (a chronology entry involves the person) followed by "Delete anyway".
 */
export async function registerFlow(page, ctx) {
  // Seed the page's data before the panel first asks for it.
  await page.evaluate((seed) => {
    const data = window.__e2e.data;
    data.people = structuredClone(seed);
    data.chronology[0].people = ['e2e-reg-darren'];
  }, SEED);
  const chronologyId = await page.evaluate(() => window.__e2e.data.chronology[0].id);

  await page.locator('nav[aria-label="Panels"] [data-panel="register"]').click();
  await page.locator(`main#panel[aria-label="${LABEL}"]`).waitFor();
  await page.locator('main#panel h1', { hasText: LABEL }).waitFor();
  await page.locator('main#panel', { hasText: '1 entry needs a pseudonym' }).waitFor();
  assert.equal(await needsCount(page), 1);
  const people = page.getByRole('list', { name: 'People' });
  await people.getByText('Laura Smith', { exact: true }).waitFor();
  await people.getByRole('list', { name: 'Aliases of Laura Smith' }).getByText('Lolly').waitFor();
  await page.getByRole('list', { name: 'Organisations' }).getByText('Named in publication').waitFor();
  await axeCheck(page, ctx, 'the Names & pseudonyms panel');

  // Add a person: keyboard through the form; a typed alias, a suggested variant.
  await page.getByRole('button', { name: 'Add person' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add to the register' });
  await dialog.waitFor();
  const real = dialog.getByLabel('Real name');
  assert.ok(await real.evaluate((el) => el === document.activeElement), 'the dialog starts in Real name');
  await page.keyboard.type('Ashley Brown');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Ash');
  await page.keyboard.press('Enter');
  await dialog.getByRole('list', { name: 'Aliases' }).getByText('Ash', { exact: true }).waitFor();
  assert.equal((await callsOf(page, 'add_person')).length, 0, 'Enter in the aliases field adds a chip only');
  await dialog.getByRole('button', { name: 'Add alias A.B.' }).click();
  await dialog.getByRole('list', { name: 'Aliases' }).getByText('A.B.', { exact: true }).waitFor();
  // A pseudonym already used: the core refuses, the message sits by the field.
  const pseudonym = dialog.getByLabel('Pseudonym');
  await pseudonym.fill('Child S');
  await dialog.getByLabel('Role').fill('half-brother');
  await pseudonym.press('Enter');
  await waitForCalls(page, 'add_person', 1);
  const problem = dialog.getByRole('alert');
  await problem.getByText("'Child S' is already the pseudonym of Laura Smith").waitFor();
  assert.equal(await pseudonym.getAttribute('aria-invalid'), 'true');
  const describedBy = await pseudonym.getAttribute('aria-describedby');
  assert.equal(await problem.getAttribute('id'), describedBy, 'the field is described by its problem');
  assert.equal(await pseudonym.inputValue(), 'Child S', 'the pseudonym typed is kept');
  assert.equal(await dialog.getByLabel('Role').inputValue(), 'half-brother', 'the role typed is kept');
  await assertNoNamesShownOutsidePanel(page, 'after the clash');
  await axeCheck(page, ctx, 'the register form with a problem');
  await pseudonym.fill('Sibling 3');
  await pseudonym.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  const adds = await callsOf(page, 'add_person');
  assert.equal(adds.length, 2);
  assert.deepEqual(adds[1].input, {
    category: 'person',
    real_name: 'Ashley Brown',
    aliases: ['Ash', 'A.B.'],
    pseudonym: 'Sibling 3',
    role: 'half-brother',
    relation: '',
    safe_to_name: false,
  });
  await people.getByText('Ashley Brown', { exact: true }).waitFor();
  await people.getByRole('button', { name: 'Edit Pseudonym of Ashley Brown: Sibling 3' }).waitFor();
  assert.equal(await needsCount(page), 1, 'the new entry has a pseudonym');
  await assertNoNamesShownOutsidePanel(page, 'after adding');

  // Give Darren a pseudonym in place.
  await page.getByRole('button', { name: /Edit Pseudonym of Darren Smith/ }).click();
  const inPlace = page.getByRole('textbox', { name: 'Pseudonym of Darren Smith' });
  await inPlace.fill('Adult B');
  await inPlace.press('Enter');
  await page.locator('main#panel', { hasText: 'Every entry has a pseudonym or is safe to name' }).waitFor();
  assert.equal(await needsCount(page), 0);
  const [update] = await waitForCalls(page, 'update_person', 1);
  const { id: _darren, ...darren } = SEED[1];
  assert.deepEqual(update, { id: 'e2e-reg-darren', input: { ...darren, pseudonym: 'Adult B' } });

  // Delete Darren: refused while a chronology entry involves him; then delete anyway.
  await page.getByRole('button', { name: 'Delete Darren Smith' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete this register entry?' });
  await confirm.waitFor();
  assert.ok(
    await confirm.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement),
    'the confirmation starts on Cancel',
  );
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  const refused = page.getByRole('dialog', { name: 'This entry is in use' });
  await refused.getByText('Darren Smith cannot be deleted because 1 chronology entry involves this person.').waitFor();
  await assertNoNamesShownOutsidePanel(page, 'after the refusal');
  await refused.getByRole('button', { name: 'Delete anyway' }).click();
  await refused.waitFor({ state: 'detached' });
  await people.getByText('Darren Smith', { exact: true }).waitFor({ state: 'detached' });
  assert.deepEqual(await callsOf(page, 'delete_person'), [
    { id: 'e2e-reg-darren', cascade: false },
    { id: 'e2e-reg-darren', cascade: true },
  ]);
  const still = await page.evaluate(
    (id) => window.__e2e.data.chronology.find((e) => e.id === id).people,
    chronologyId,
  );
  assert.deepEqual(still, [], 'the chronology entry no longer involves the deleted person');
  await page.locator('.toasts', { hasText: 'Deleted from the register' }).waitFor();
  await assertNoNamesShownOutsidePanel(page, 'after deleting');
}

/** The check to add to `CHECKS` in flows.mjs once the panel is in the sidebar. */
export const REGISTER_CHECK = {
  name: 'Names & pseudonyms: add with aliases, a pseudonym clash by its field, delete refused then cascaded',
  async run(ctx) {
    const page = await ctx.newPage({ open: true });
    await page.locator('nav[aria-label="Panels"]').waitFor();
    await registerFlow(page, ctx);
  },
};
