import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { review } from '../../lib/review.svelte';
import type { EvidenceView, Finding } from '../../lib/types';
import { callsOf, mockCommands } from '../../test/ipc';
import EvidenceChips from './EvidenceChips.svelte';
import { chipTarget, chipText, shortQuote } from './evidence';
import FindingsPanel from './FindingsPanel.svelte';
import { groupFindings } from './findings';


const EXCERPT_VIEW: EvidenceView = {
  id: 'l1',
  finding_id: 'f1',
  relation: 'supports',
  note: '',
  excerpt: {
    id: 'x1',
    quote: 'The school did not refer the bruise to children’s social care',
    source_id: 's1',
    source_title: 'School IMR',
    paragraph_id: 'p7',
    paragraph_seq: 7,
    paragraph_label: '4.2',
  },
  chronology: null,
  label: 'School IMR ¶4.2',
};

const CHRONOLOGY_VIEW: EvidenceView = {
  id: 'l2',
  finding_id: 'f1',
  relation: 'contradicts',
  note: '',
  excerpt: null,
  chronology: {
    id: 'c9',
    date: '2020-03-12',
    precision: 'day',
    date_text: '',
    event: 'Police called to a domestic incident',
    agency_id: 'police',
  },
  label: 'Chronology 12/03/2020',
};

function finding(over: Partial<Finding> & { id: string; number: number }): Finding {
  return {
    theme_id: 't1',
    kind: 'practice',
    statement: `Statement ${over.id}`,
    analysis: '',
    evidence_count: 0,
    tor_ids: [],
    ...over,
  };
}

const THEMES = [
  { id: 't1', title: 'Hearing the child', summary: '' },
  { id: 't2', title: 'Information sharing', summary: 'Between agencies' },
];

const FINDINGS: Finding[] = [
  finding({ id: 'f1', number: 1, evidence_count: 2, tor_ids: ['r2'] }),
  finding({ id: 'f2', number: 2, kind: 'good_practice' }),
  finding({ id: 'f3', number: 3, theme_id: 't2' }),
  finding({ id: 'f4', number: 4, theme_id: null, kind: 'conclusion' }),
];

function handlers(extra: Record<string, unknown> = {}) {
  return {
    themes: THEMES,
    findings: FINDINGS,
    tor_items: [
      { id: 'r1', number: 1, kind: 'generic', text: 'How well did agencies work together?', out_of_scope_reason: null },
      { id: 'r2', number: 2, kind: 'case_specific', text: 'Was the child seen and heard?', out_of_scope_reason: null },
    ],
    evidence_for_finding: (a: Record<string, unknown>) => (a.findingId === 'f1' ? [EXCERPT_VIEW, CHRONOLOGY_VIEW] : []),
    ...extra,
  };
}

beforeEach(() => {
  review.navigation = null;
});

describe('evidence chips', () => {
  it('lead an excerpt to its exact paragraph in Sources, with the excerpt to highlight', () => {
    expect(chipTarget(EXCERPT_VIEW)).toEqual({
      panel: 'sources',
      kind: 'excerpt',
      id: 'x1',
      sourceId: 's1',
      paragraphId: 'p7',
      excerptId: 'x1',
    });
  });

  it('lead a chronology entry to the Chronology panel', () => {
    expect(chipTarget(CHRONOLOGY_VIEW)).toEqual({ panel: 'chronology', kind: 'chronology_entry', id: 'c9' });
    expect(chipTarget({ ...CHRONOLOGY_VIEW, chronology: null })).toBeNull();
  });

  it('name the evidence, its relation and where it opens', () => {
    expect(chipText(EXCERPT_VIEW).name).toBe(
      'Supports: Quote School IMR ¶4.2 “The school did not refer the bruise to children’s social care”. Open in Sources',
    );
    expect(chipText(CHRONOLOGY_VIEW).name).toBe(
      'Contradicts: Event Chronology 12/03/2020 Police called to a domestic incident Contradicts. Open in Chronology',
    );
    expect(shortQuote('word '.repeat(40), 20)).toBe('word word word word…');
  });

  it('dispatch the navigation request when activated', async () => {
    const user = userEvent.setup();
    render(EvidenceChips, { evidence: [EXCERPT_VIEW, CHRONOLOGY_VIEW], findingLabel: 'F1', onunlink: vi.fn() });
    await user.click(screen.getByRole('button', { name: /Open in Sources/ }));
    expect(review.panel).toBe('sources');
    expect(review.navigation).toMatchObject({
      panel: 'sources',
      kind: 'excerpt',
      sourceId: 's1',
      paragraphId: 'p7',
      excerptId: 'x1',
    });
    // From the keyboard, too.
    screen.getByRole('button', { name: /Open in Chronology/ }).focus();
    await user.keyboard('{Enter}');
    expect(review.panel).toBe('chronology');
    expect(review.navigation).toMatchObject({ panel: 'chronology', kind: 'chronology_entry', id: 'c9' });
  });

  it('offer to unlink each piece of evidence', async () => {
    const user = userEvent.setup();
    const onunlink = vi.fn();
    render(EvidenceChips, { evidence: [EXCERPT_VIEW], findingLabel: 'F1', onunlink });
    await user.click(screen.getByRole('button', { name: 'Unlink School IMR ¶4.2 from F1' }));
    expect(onunlink).toHaveBeenCalledWith(EXCERPT_VIEW);
  });
});

describe('groupFindings', () => {
  it('puts findings under their themes in order and the rest last', () => {
    const { groups, unthemed } = groupFindings(THEMES, FINDINGS);
    expect(groups.map((g) => [g.theme.id, g.findings.map((f) => f.id)])).toEqual([
      ['t1', ['f1', 'f2']],
      ['t2', ['f3']],
    ]);
    expect(unthemed.map((f) => f.id)).toEqual(['f4']);
  });
});

describe('FindingsPanel', () => {
  it('shows findings grouped by theme with F-numbers, kinds, ToR links and evidence chips', async () => {
    const calls = mockCommands(handlers());
    render(FindingsPanel);
    const themes = await screen.findByRole('list', { name: 'Themes' });
    const first = within(themes).getByRole('region', { name: 'Theme: Hearing the child' });
    expect(within(first).getByRole('heading', { name: 'F1' })).toBeInTheDocument();
    expect(within(first).getByRole('heading', { name: 'F2' })).toBeInTheDocument();
    expect(within(first).getByRole('combobox', { name: 'Kind of F2' })).toHaveValue('good_practice');
    expect(within(first).getByText('ToR 2')).toBeInTheDocument();
    expect(within(first).getByRole('list', { name: 'Evidence for F1' }).children).toHaveLength(2);
    const unthemed = screen.getByRole('region', { name: 'Not under a theme' });
    expect(within(unthemed).getByRole('heading', { name: 'F4' })).toBeInTheDocument();
    // Evidence is fetched only for findings that have some.
    expect(callsOf(calls, 'evidence_for_finding')).toHaveLength(1);
  });

  it('moves a finding to another theme', async () => {
    const calls = mockCommands(handlers({ move_finding: null }));
    const user = userEvent.setup();
    render(FindingsPanel);
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Theme of F2' }), 'Information sharing');
    await waitFor(() => expect(callsOf(calls, 'move_finding')).toHaveLength(1));
    expect(callsOf(calls, 'move_finding')[0]).toMatchObject({ id: 'f2', themeId: 't2' });
  });

  it('reorders findings within a theme and themes among themselves', async () => {
    const calls = mockCommands(handlers({ move_finding: null, move_theme: null }));
    const user = userEvent.setup();
    render(FindingsPanel);
    await user.click(await screen.findByRole('button', { name: 'Move F1 down' }));
    await waitFor(() => expect(callsOf(calls, 'move_finding')).toEqual([{ id: 'f1', themeId: 't1', to: 1 }]));
    await user.click(screen.getByRole('button', { name: 'Move theme “Information sharing” up' }));
    await waitFor(() => expect(callsOf(calls, 'move_theme')).toEqual([{ id: 't2', to: 0 }]));
  });

  it('sets the terms of reference a finding answers', async () => {
    const calls = mockCommands(handlers({ set_finding_tors: () => ({ ...FINDINGS[1], tor_ids: ['r1'] }) }));
    const user = userEvent.setup();
    render(FindingsPanel);
    await user.click(await screen.findByRole('button', { name: 'Change the terms of reference F2 answers' }));
    const dialog = await screen.findByRole('dialog', { name: 'Terms of reference F2 answers' });
    await user.click(within(dialog).getByRole('checkbox', { name: /ToR 1/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(callsOf(calls, 'set_finding_tors')).toEqual([{ findingId: 'f2', torIds: ['r1'] }]));
  });

  it('edits a finding’s statement in place and saves at once', async () => {
    const calls = mockCommands(handlers({ update_finding: () => FINDINGS[0] }));
    const user = userEvent.setup();
    render(FindingsPanel);
    await user.click(await screen.findByRole('button', { name: /Edit statement of F1/ }));
    const field = screen.getByRole('textbox', { name: 'statement of F1' });
    await user.clear(field);
    await user.type(field, 'The child was not asked{Control>}{Enter}{/Control}');
    await waitFor(() => expect(callsOf(calls, 'update_finding')).toHaveLength(1));
    expect(callsOf(calls, 'update_finding')[0]).toEqual({
      id: 'f1',
      input: { theme_id: 't1', kind: 'practice', statement: 'The child was not asked', analysis: '' },
    });
  });

  it('answers a navigation request by highlighting the finding', async () => {
    mockCommands(handlers());
    render(FindingsPanel);
    await screen.findByRole('list', { name: 'Themes' });
    review.navigate({ panel: 'findings', kind: 'finding', id: 'f3' });
    await waitFor(() => expect(document.querySelector('[data-finding="f3"]')).toHaveClass('flash'));
    expect(document.activeElement).toBe(document.querySelector('[data-finding="f3"]'));
  });

  it('says what to do when there is nothing yet', async () => {
    mockCommands(handlers({ themes: [], findings: [] }));
    render(FindingsPanel);
    expect(await screen.findByRole('heading', { name: 'No themes or findings yet' })).toBeInTheDocument();
  });
});
