import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Details, PlanItem, Stats } from '../../lib/types';
import { review } from '../../lib/review.svelte';
import { callsOf, mockCommands, type Call } from '../../test/ipc';
import OverviewPanel from './OverviewPanel.svelte';

const DETAILS: Details = {
  id: 'r1',
  title: 'Child R',
  review_type: 'cspr',
  board: 'Northmoor Safeguarding Children Partnership',
  subjects: ['Child R', 'Sibling 1'],
  incident_date: '2023-10-02',
  decision_date: null,
  commissioned_date: null,
  first_panel_date: null,
  draft_issued_date: null,
  published_date: null,
  review_period_start: '2022-03-14',
  review_period_end: '2023-10-06',
  context_period_start: null,
  context_period_end: null,
  status: 'analysis',
};

const STATS: Stats = {
  tables: [
    { table: 'source', rows: 6 },
    { table: 'finding', rows: 1 },
    { table: 'chronology_entry', rows: 40 },
  ],
  source_words: 12345,
  changes: 3,
  file_bytes: 2_500_000,
};

function planItem(n: number, text: string, due: string | null, status: PlanItem['action']['status']): PlanItem {
  return {
    recommendation_id: `r${n}`,
    recommendation_number: n,
    recommendation_text: `Recommendation ${n}`,
    action: {
      id: `a${n}`,
      recommendation_id: `r${n}`,
      text,
      lead: 'Head of Service',
      due_date: due,
      status,
      completion_evidence: '',
      updates: [],
    },
  };
}

let calls: Call[];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(2024, 5, 1));
  let saved = DETAILS;
  calls = mockCommands({
    details: () => saved,
    stats: () => STATS,
    action_plan: () => [
      planItem(1, 'Write guidance on fathers', '2024-05-01', 'at_risk'),
      planItem(2, 'Train MASH staff', '2024-06-20', 'on_track'),
      planItem(3, 'Audit referrals', '2025-01-01', 'not_started'),
      planItem(4, 'Publish briefing', '2024-04-01', 'complete'),
    ],
    sections: (args) =>
      args.document === 'overview'
        ? [{ id: 's1', document: 'overview', position: 0, heading: 'Analysis', body: '' }]
        : [],
    update_details: (args) => (saved = { id: 'r1', ...(args.input as Omit<Details, 'id'>) }),
  });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('OverviewPanel', () => {
  it('shows the details, the counts and the deadlines, overdue first', async () => {
    render(OverviewPanel);
    expect(await screen.findByLabelText('Title')).toHaveValue('Child R');
    expect(screen.getByLabelText('Status')).toHaveValue('analysis');
    expect(screen.getByLabelText('Subjects of the review (one per line)')).toHaveValue('Child R\nSibling 1');
    const review = screen.getByRole('group', { name: 'Review period' });
    expect(within(review).getByLabelText('From')).toHaveValue('14/03/2022');
    expect(screen.getByLabelText('Incident')).toHaveValue('02/10/2023');

    const counts = screen.getByRole('region', { name: 'What the review holds' });
    expect(within(counts).getByText('sources').previousElementSibling).toHaveTextContent('6');
    expect(within(counts).getByText('finding').previousElementSibling).toHaveTextContent('1');
    expect(within(counts).getByText(/12,345 words of source text/)).toBeInTheDocument();

    const deadlines = screen.getByRole('region', { name: 'Deadlines' });
    expect(within(deadlines).getByRole('heading', { name: 'Overdue (1)' })).toBeInTheDocument();
    const buttons = within(deadlines).getAllByRole('button');
    expect(buttons[0]).toHaveTextContent('R1 Write guidance on fathers');
    expect(buttons[0]).toHaveTextContent('31 days overdue');
    expect(buttons[1]).toHaveTextContent('R2 Train MASH staff');
    expect(buttons[1]).toHaveTextContent('in 19 days');
    expect(within(deadlines).queryByText(/Audit referrals/)).toBeNull();
    expect(within(deadlines).getByText(/4 actions in the plan: 1 complete/)).toBeInTheDocument();
  });

  it('saves a changed field at once with the rest of the details unchanged', async () => {
    const user = userEvent.setup();
    render(OverviewPanel);
    const title = await screen.findByLabelText('Title');
    await user.clear(title);
    await user.type(title, 'Child R: practice review');
    await user.tab();
    await waitFor(() => expect(callsOf(calls, 'update_details')).toHaveLength(1));
    const { id: _id, ...rest } = DETAILS;
    expect(callsOf(calls, 'update_details')[0]).toEqual({
      input: { ...rest, title: 'Child R: practice review' },
    });
  });

  it('clears a date and saves it as empty', async () => {
    render(OverviewPanel);
    const incident = await screen.findByLabelText('Incident');
    await fireEvent.input(incident, { target: { value: '' } });
    await fireEvent.blur(incident);
    await waitFor(() => expect(callsOf(calls, 'update_details')).toHaveLength(1));
    expect((callsOf(calls, 'update_details')[0].input as Details).incident_date).toBeNull();
  });

  it('saves a date typed the UK way, and saves nothing while it cannot be read', async () => {
    const user = userEvent.setup();
    render(OverviewPanel);
    const decision = await screen.findByLabelText('Decision to review');
    await user.type(decision, '3/4/24');
    await user.tab();
    await waitFor(() => expect(callsOf(calls, 'update_details')).toHaveLength(1));
    expect((callsOf(calls, 'update_details')[0].input as Details).decision_date).toBe('2024-04-03');
    expect(decision).toHaveValue('03/04/2024');

    const published = screen.getByLabelText('Published');
    await user.type(published, '31/02/2024');
    await user.tab();
    expect(await screen.findByRole('alert')).toHaveTextContent('“31/02/2024” is not a real date');
    expect(callsOf(calls, 'update_details')).toHaveLength(1);
  });

  it('opens an action from its deadline', async () => {
    const user = userEvent.setup();
    render(OverviewPanel);
    await user.click(await screen.findByRole('button', { name: /Write guidance on fathers/ }));
    expect(review.navigation).toMatchObject({ panel: 'recommendations', kind: 'action', id: 'a1' });
  });
});
