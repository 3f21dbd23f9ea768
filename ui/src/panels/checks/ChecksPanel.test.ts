import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';

import { review } from '../../lib/review.svelte';
import type { CheckReport, CheckResult } from '../../lib/types';
import { mockCommands } from '../../test/ipc';
import ChecksPanel from './ChecksPanel.svelte';
import { groupBySeverity, targetOf } from './checks';

function result(over: Partial<CheckResult>): CheckResult {
  return {
    code: 'finding_without_evidence',
    severity: 'error',
    message: 'Finding F1 cites no evidence',
    target: { kind: 'finding', id: 'f1' },
    detail: 'Link an excerpt or chronology entry.',
    ...over,
  };
}

const RESULTS: CheckResult[] = [
  result({}),
  result({
    code: 'recommendation_without_owner',
    message: 'Recommendation 2 has no owner',
    target: { kind: 'recommendation', id: 'r2' },
    detail: null,
  }),
  result({
    code: 'action_overdue',
    severity: 'warning',
    message: 'Action 2.1 is overdue',
    target: { kind: 'action', id: 'a1' },
    detail: null,
  }),
  result({
    code: 'periods_not_set',
    severity: 'info',
    message: 'The review period is not set',
    target: { kind: 'details', id: 'rev' },
    detail: null,
  }),
];

const REPORT: CheckReport = { results: RESULTS, errors: 2, warnings: 1, infos: 1 };

beforeEach(() => {
  review.navigation = null;
  review.panel = 'checks';
});

describe('checks logic', () => {
  it('groups by severity, most serious first, leaving out empty groups', () => {
    const groups = groupBySeverity(RESULTS, 'all');
    expect(groups.map((g) => [g.severity, g.results.length])).toEqual([
      ['error', 2],
      ['warning', 1],
      ['info', 1],
    ]);
    expect(groupBySeverity(RESULTS, 'warning').map((g) => g.severity)).toEqual(['warning']);
    expect(groupBySeverity([RESULTS[0]], 'all').map((g) => g.severity)).toEqual(['error']);
  });

  it('maps every target kind to the panel that shows it', () => {
    expect(targetOf({ kind: 'tor', id: 't' })).toMatchObject({ panel: 'tor', kind: 'tor_item' });
    expect(targetOf({ kind: 'source', id: 's' })).toMatchObject({ panel: 'sources', sourceId: 's' });
    expect(targetOf({ kind: 'chronology', id: 'c' })).toMatchObject({ panel: 'chronology', kind: 'chronology_entry' });
    expect(targetOf({ kind: 'section', id: 'x' })).toMatchObject({ panel: 'report', kind: 'section' });
    expect(targetOf({ kind: 'action', id: 'a' })).toMatchObject({ panel: 'recommendations', kind: 'action' });
  });
});

describe('ChecksPanel', () => {
  it('lists the results grouped by severity with counts', async () => {
    mockCommands({ checks: REPORT });
    render(ChecksPanel);
    const errors = await screen.findByRole('region', { name: 'Errors (2)' });
    expect(within(errors).getByText('Finding F1 cites no evidence')).toBeInTheDocument();
    expect(within(errors).getByText('Link an excerpt or chronology entry.')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Warnings (1)' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Notes (1)' })).toBeInTheDocument();
    expect(screen.getByText(/2 errors, 1 warning, 1 note/)).toBeInTheDocument();
  });

  it('opens the record of a result on click and on Enter', async () => {
    mockCommands({ checks: REPORT });
    render(ChecksPanel);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /Finding F1 cites no evidence/ }));
    expect(review.navigation).toMatchObject({ panel: 'findings', kind: 'finding', id: 'f1' });
    screen.getByRole('button', { name: /Action 2.1 is overdue/ }).focus();
    await user.keyboard('{Enter}');
    expect(review.navigation).toMatchObject({ panel: 'recommendations', kind: 'action', id: 'a1' });
  });

  it('filters by severity', async () => {
    mockCommands({ checks: REPORT });
    render(ChecksPanel);
    await screen.findByRole('region', { name: 'Errors (2)' });
    await userEvent.setup().selectOptions(screen.getByLabelText('Show'), 'warning');
    expect(screen.queryByRole('region', { name: 'Errors (2)' })).not.toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Warnings (1)' })).toBeInTheDocument();
  });

  it('says when there is nothing to fix', async () => {
    mockCommands({ checks: { results: [], errors: 0, warnings: 0, infos: 0 } });
    render(ChecksPanel);
    expect(await screen.findByText('No problems found')).toBeInTheDocument();
  });
});
