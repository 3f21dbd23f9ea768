import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { beforeEach, describe, expect, it } from 'vitest';

import { exporter } from '../../components/export/exporter.svelte';
import { review } from '../../lib/review.svelte';
import type { CheckReport, CoverageFinding, CoverageMatrix, CoverageRow } from '../../lib/types';
import { callsOf, mockCommands } from '../../test/ipc';
import ChecksPanel from './ChecksPanel.svelte';
import { evidenceOf, rowState, totalsSummary } from './coverage';

function finding(over: Partial<CoverageFinding>): CoverageFinding {
  return {
    id: 'f1',
    number: 1,
    title: 'The school did not share its concerns',
    excerpts: 2,
    chronology: 1,
    evidence_count: 3,
    recommendations: [],
    ...over,
  };
}

function row(over: Partial<CoverageRow>): CoverageRow {
  return {
    tor_id: 't1',
    number: 1,
    text: 'How well did agencies share information?',
    kind: 'generic',
    out_of_scope_reason: null,
    findings: [],
    evidence_count: 0,
    recommendations: [],
    covered: false,
    ...over,
  };
}

const MATRIX: CoverageMatrix = {
  rows: [
    row({
      covered: true,
      findings: [
        finding({ recommendations: [{ id: 'r2', number: 2 }] }),
        finding({ id: 'f4', number: 4, title: 'Police records were incomplete', excerpts: 0, chronology: 0, evidence_count: 0 }),
      ],
      evidence_count: 3,
      recommendations: [{ id: 'r2', number: 2 }],
    }),
    row({ tor_id: 't2', number: 2, text: 'Was housing involved?', kind: 'case_specific', out_of_scope_reason: 'No housing contact in the period' }),
    row({ tor_id: 't3', number: 3, text: 'Did the GP see the child?', kind: 'case_specific' }),
  ],
  totals: {
    tor_items: 3,
    covered: 1,
    out_of_scope: 1,
    gaps: 1,
    findings: 2,
    findings_without_tor: 1,
    evidence: 3,
    recommendations: 1,
  },
};

const NO_CHECKS: CheckReport = { results: [], errors: 0, warnings: 0, infos: 0 };

beforeEach(() => {
  review.navigation = null;
  review.panel = 'checks';
  exporter.open = false;
  exporter.preset = null;
});

async function openCoverage() {
  const user = userEvent.setup();
  render(ChecksPanel);
  await user.click(screen.getByRole('tab', { name: 'Coverage' }));
  const table = await screen.findByRole('table');
  return { user, table };
}

function rowOf(table: HTMLElement, tor: number): HTMLElement {
  const header = within(table).getByRole('button', { name: `ToR ${tor}` });
  return header.closest('tr') as HTMLElement;
}

describe('coverage wording', () => {
  it('tells answered rows, out of scope rows and gaps apart', () => {
    expect(MATRIX.rows.map(rowState)).toEqual(['answered', 'out_of_scope', 'gap']);
    // A blank reason is not a reason: the item is still a gap.
    expect(rowState(row({ out_of_scope_reason: '  ' }))).toBe('gap');
  });

  it('counts evidence by kind', () => {
    expect(evidenceOf(finding({}))).toBe('2 excerpts, 1 chronology entry');
    expect(evidenceOf(finding({ excerpts: 1, chronology: 0, evidence_count: 1 }))).toBe('1 excerpt');
    expect(evidenceOf(finding({ excerpts: 0, chronology: 0, evidence_count: 0 }))).toBe('no evidence');
    expect(totalsSummary(MATRIX.totals)).toBe('3 terms of reference: 1 answered, 1 out of scope, 1 not answered');
  });
});

describe('Checks panel tabs', () => {
  it('is a tablist whose arrow keys, Home and End move between the tabs', async () => {
    mockCommands({ checks: NO_CHECKS, coverage_matrix: MATRIX });
    render(ChecksPanel);
    const user = userEvent.setup();
    const checks = screen.getByRole('tab', { name: 'Checks' });
    const coverage = screen.getByRole('tab', { name: 'Coverage' });
    expect(screen.getByRole('tablist', { name: 'Checks views' })).toBeInTheDocument();
    expect(checks).toHaveAttribute('aria-selected', 'true');
    expect(coverage).toHaveAttribute('tabindex', '-1');
    checks.focus();
    await user.keyboard('{ArrowRight}');
    expect(coverage).toHaveAttribute('aria-selected', 'true');
    expect(coverage).toHaveFocus();
    expect(screen.getByRole('tabpanel')).toHaveAttribute('aria-labelledby', 'checks-tab-coverage');
    expect(await screen.findByRole('table')).toBeInTheDocument();
    await user.keyboard('{ArrowRight}');
    expect(checks).toHaveFocus();
    expect(await screen.findByText('No problems found')).toBeInTheDocument();
    await user.keyboard('{End}');
    expect(coverage).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Home}');
    expect(checks).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowLeft}');
    expect(coverage).toHaveFocus();
  });

  it('opens the Coverage tab when navigated to', async () => {
    mockCommands({ checks: NO_CHECKS, coverage_matrix: MATRIX });
    render(ChecksPanel);
    review.navigate({ panel: 'checks', kind: 'coverage', id: '' });
    flushSync();
    expect(screen.getByRole('tab', { name: 'Coverage' })).toHaveAttribute('aria-selected', 'true');
    expect(await screen.findByRole('table')).toBeInTheDocument();
    expect(review.navigation).toBeNull();
  });
});

describe('Coverage view', () => {
  it('shows each term of reference with its findings, evidence and recommendations', async () => {
    mockCommands({ checks: NO_CHECKS, coverage_matrix: MATRIX });
    const { table } = await openCoverage();
    const first = rowOf(table, 1);
    expect(first).toHaveTextContent('How well did agencies share information?');
    expect(within(first).getByRole('button', { name: 'F1' })).toBeInTheDocument();
    expect(within(first).getByText('The school did not share its concerns')).toBeInTheDocument();
    expect(within(first).getByText('2 excerpts, 1 chronology entry')).toBeInTheDocument();
    expect(within(first).getByText('no evidence')).toBeInTheDocument();
    expect(within(first).getAllByRole('cell')[1]).toHaveTextContent('3');
    expect(within(first).getByRole('button', { name: 'R2' })).toBeInTheDocument();
    expect(within(first).queryByText(/Not answered/)).not.toBeInTheDocument();
  });

  it('marks items no finding answers, and items out of scope with the reason', async () => {
    mockCommands({ checks: NO_CHECKS, coverage_matrix: MATRIX });
    const { table } = await openCoverage();
    const scoped = rowOf(table, 2);
    expect(scoped).toHaveTextContent('Out of scope: No housing contact in the period');
    expect(scoped).not.toHaveTextContent('Not answered');
    const gap = rowOf(table, 3);
    expect(gap).toHaveTextContent('Not answered by any finding');
    expect(gap).toHaveClass('gap');
    expect(within(gap).getByText('None')).toBeInTheDocument();
    expect(within(table).getAllByText(/Not answered by any finding/)).toHaveLength(1);
  });

  it('ends with a totals row', async () => {
    mockCommands({ checks: NO_CHECKS, coverage_matrix: MATRIX });
    const { table } = await openCoverage();
    const groups = within(table).getAllByRole('rowgroup');
    const totals = within(groups[groups.length - 1]).getByRole('row');
    expect(within(totals).getByRole('rowheader')).toHaveTextContent(
      'Totals: 3 terms of reference: 1 answered, 1 out of scope, 1 not answered',
    );
    const cells = within(totals).getAllByRole('cell');
    expect(cells[0]).toHaveTextContent('2 findings (1 finding answers no term of reference)');
    expect(cells[1]).toHaveTextContent('3');
    expect(cells[2]).toHaveTextContent('1 recommendation');
  });

  it('opens the term of reference, finding and recommendation clicked', async () => {
    mockCommands({ checks: NO_CHECKS, coverage_matrix: MATRIX });
    const { user, table } = await openCoverage();
    await user.click(within(table).getByRole('button', { name: 'ToR 3' }));
    expect(review.navigation).toMatchObject({ panel: 'tor', kind: 'tor_item', id: 't3' });
    await user.click(within(table).getByRole('button', { name: 'F4' }));
    expect(review.navigation).toMatchObject({ panel: 'findings', kind: 'finding', id: 'f4' });
    within(table).getByRole('button', { name: 'R2' }).focus();
    await user.keyboard('{Enter}');
    expect(review.navigation).toMatchObject({ panel: 'recommendations', kind: 'recommendation', id: 'r2' });
  });

  it('reloads after an edit', async () => {
    const calls = mockCommands({ checks: NO_CHECKS, coverage_matrix: MATRIX });
    await openCoverage();
    const before = callsOf(calls, 'coverage_matrix').length;
    review.revision += 1;
    await waitFor(() => expect(callsOf(calls, 'coverage_matrix').length).toBe(before + 1));
  });

  it('says when there are no terms of reference yet', async () => {
    mockCommands({
      checks: NO_CHECKS,
      coverage_matrix: { rows: [], totals: { ...MATRIX.totals, tor_items: 0, covered: 0, out_of_scope: 0, gaps: 0 } },
    });
    render(ChecksPanel);
    await userEvent.setup().click(screen.getByRole('tab', { name: 'Coverage' }));
    expect(await screen.findByRole('heading', { name: 'No terms of reference yet' })).toBeInTheDocument();
  });

  it('opens the Export dialog on the coverage appendix', async () => {
    mockCommands({ checks: NO_CHECKS, coverage_matrix: MATRIX });
    const { user } = await openCoverage();
    await user.click(screen.getByRole('button', { name: 'Export…' }));
    expect(exporter.open).toBe(true);
    expect(exporter.preset).toBe('coverage');
  });
});
