import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';

import { review } from '../../lib/review.svelte';
import type { Action, Recommendation } from '../../lib/types';
import { callsOf, mockCommands } from '../../test/ipc';
import { groupByOrigin, isOverdue } from './recommendations';
import RecommendationsPanel from './RecommendationsPanel.svelte';


const AGENCIES = [
  { id: 'police', name: 'Northshire Police', short_name: 'Police', sector: 'police' },
  { id: 'school', name: 'Oakfield School', short_name: '', sector: 'education' },
];

function action(over: Partial<Action> & { id: string }): Action {
  return {
    recommendation_id: 'r1',
    text: `Action ${over.id}`,
    lead: '',
    due_date: null,
    status: 'not_started',
    completion_evidence: '',
    updates: [],
    ...over,
  };
}

function rec(over: Partial<Recommendation> & { id: string; number: number }): Recommendation {
  return {
    origin: 'overview_author',
    origin_agency_id: null,
    addressee_agency_id: null,
    owner_role: '',
    text: `Recommendation ${over.id}`,
    due: { kind: 'none' },
    measure: '',
    board_response: 'pending',
    response_reason: '',
    finding_ids: [],
    actions: [],
    ...over,
  };
}

const RECS: Recommendation[] = [
  rec({
    id: 'r1',
    number: 1,
    finding_ids: ['f2'],
    due: { kind: 'month', value: { year: 2011, month: 7 } },
    actions: [action({ id: 'a1', lead: 'Designated nurse', due_date: '2000-01-01' })],
  }),
  rec({ id: 'r2', number: 2, origin: 'agency_imr', origin_agency_id: 'school' }),
  rec({ id: 'r3', number: 3, origin: 'agency_imr', origin_agency_id: 'police' }),
  rec({ id: 'r4', number: 4, origin: 'health_overview', due: { kind: 'immediately' } }),
  rec({ id: 'r5', number: 5 }),
];

const FINDINGS = [
  { id: 'f1', number: 1, theme_id: null, kind: 'practice', statement: 'Child not seen', analysis: '', evidence_count: 0, tor_ids: [] },
  { id: 'f2', number: 2, theme_id: null, kind: 'systemic', statement: 'No shared record', analysis: '', evidence_count: 0, tor_ids: [] },
];

function handlers(extra: Record<string, unknown> = {}) {
  return {
    recommendations: RECS,
    agencies: AGENCIES,
    findings: FINDINGS,
    update_recommendation: (a: Record<string, unknown>) => ({ ...RECS.find((r) => r.id === a.id)!, ...(a.input as object) }),
    update_action: (a: Record<string, unknown>) => ({ ...RECS[0].actions[0], ...(a.input as object) }),
    ...extra,
  };
}

beforeEach(() => {
  review.navigation = null;
});

describe('groupByOrigin', () => {
  it('groups the overview author first, then each agency’s IMR in agency order, then the health overview', () => {
    const groups = groupByOrigin(RECS, AGENCIES);
    expect(groups.map((g) => [g.name, g.recommendations.map((r) => r.id)])).toEqual([
      ['Overview author', ['r1', 'r5']],
      ['Northshire Police IMR', ['r3']],
      ['Oakfield School IMR', ['r2']],
      ['Health overview', ['r4']],
    ]);
  });

  it('knows an action past its due date unless it is complete', () => {
    expect(isOverdue({ status: 'on_track', due_date: '2021-01-01' }, '2021-01-02')).toBe(true);
    expect(isOverdue({ status: 'complete', due_date: '2021-01-01' }, '2021-01-02')).toBe(false);
    expect(isOverdue({ status: 'on_track', due_date: null }, '2021-01-02')).toBe(false);
  });
});

describe('RecommendationsPanel', () => {
  it('shows recommendations grouped by origin with R-numbers, due dates, findings and actions', async () => {
    mockCommands(handlers());
    render(RecommendationsPanel);
    const overview = await screen.findByRole('region', { name: /Overview author/ });
    expect(within(overview).getByRole('heading', { name: 'R1' })).toBeInTheDocument();
    expect(within(overview).getByRole('combobox', { name: 'When R1 is due' })).toHaveValue('month');
    expect(within(overview).getByLabelText('Month R1 is due by')).toHaveValue('07/2011');
    expect(within(overview).getByRole('button', { name: /F2: No shared record/ })).toBeInTheDocument();
    expect(within(overview).getByRole('list', { name: 'Actions of R1' })).toBeInTheDocument();
    expect(within(overview).getByText('Past due')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: /Northshire Police IMR/ })).toBeInTheDocument();
    expect(screen.getByText(/5 recommendations · 1 actions, 0 complete/)).toBeInTheDocument();
  });

  it('edits the due form and saves the whole recommendation at once', async () => {
    const calls = mockCommands(handlers());
    const user = userEvent.setup();
    render(RecommendationsPanel);
    await user.selectOptions(await screen.findByRole('combobox', { name: 'When R4 is due' }), 'As a matter of urgency');
    await waitFor(() => expect(callsOf(calls, 'update_recommendation')).toHaveLength(1));
    expect(callsOf(calls, 'update_recommendation')[0]).toEqual({
      id: 'r4',
      input: {
        origin: 'health_overview',
        origin_agency_id: null,
        addressee_agency_id: null,
        owner_role: '',
        text: 'Recommendation r4',
        due: { kind: 'urgent' },
        measure: '',
        board_response: 'pending',
        response_reason: '',
      },
    });
  });

  it('waits for the board’s reason before saving a rejection', async () => {
    const calls = mockCommands(handlers());
    const user = userEvent.setup();
    render(RecommendationsPanel);
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Board response to R5' }), 'Rejected');
    expect(screen.getByText(/Give the board’s reason/)).toBeInTheDocument();
    expect(callsOf(calls, 'update_recommendation')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: /Edit reason for the board’s response to R5/ }));
    await user.type(screen.getByRole('textbox', { name: 'reason for the board’s response to R5' }), 'Already in place{Control>}{Enter}{/Control}');
    await waitFor(() => expect(callsOf(calls, 'update_recommendation')).toHaveLength(1));
    expect(callsOf(calls, 'update_recommendation')[0].input).toMatchObject({
      board_response: 'rejected',
      response_reason: 'Already in place',
    });
  });

  it('sets the findings behind a recommendation', async () => {
    const calls = mockCommands(handlers({ set_recommendation_findings: () => ({ ...RECS[0], finding_ids: ['f1', 'f2'] }) }));
    const user = userEvent.setup();
    render(RecommendationsPanel);
    await user.click(await screen.findByRole('button', { name: 'Change the findings behind R1' }));
    const dialog = await screen.findByRole('dialog', { name: 'Findings behind R1' });
    expect(within(dialog).getByRole('checkbox', { name: /F2/ })).toBeChecked();
    await user.click(within(dialog).getByRole('checkbox', { name: /F1/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(callsOf(calls, 'set_recommendation_findings')).toEqual([{ id: 'r1', findingIds: ['f1', 'f2'] }]),
    );
  });

  it('asks for evidence before marking an action complete', async () => {
    const calls = mockCommands(handlers());
    const user = userEvent.setup();
    render(RecommendationsPanel);
    const status = await screen.findByRole('combobox', { name: 'Status of action 1 of R1' });
    await user.selectOptions(status, 'Complete');
    expect(callsOf(calls, 'update_action')).toHaveLength(0);
    expect(status).toHaveValue('not_started');
    const evidence = screen.getByLabelText(/To mark action 1 of R1 complete/);
    await user.type(evidence, 'Audit of 20 records, March 2012');
    await user.click(screen.getByRole('button', { name: 'Mark complete' }));
    await waitFor(() => expect(callsOf(calls, 'update_action')).toHaveLength(1));
    expect(callsOf(calls, 'update_action')[0]).toEqual({
      id: 'a1',
      input: {
        text: 'Action a1',
        lead: 'Designated nurse',
        due_date: '2000-01-01',
        status: 'complete',
        completion_evidence: 'Audit of 20 records, March 2012',
      },
    });
  });

  it('adds actions and dated updates', async () => {
    const calls = mockCommands(
      handlers({
        add_action: (a: Record<string, unknown>) => action({ id: 'a9', ...(a.input as object) }),
        add_action_update: (a: Record<string, unknown>) => ({ id: 'u1', action_id: a.actionId, date: a.date, text: a.text }),
      }),
    );
    const user = userEvent.setup();
    render(RecommendationsPanel);
    await user.type(await screen.findByRole('textbox', { name: 'New action for R5' }), 'Train staff{Enter}');
    await waitFor(() => expect(callsOf(calls, 'add_action')).toHaveLength(1));
    expect(callsOf(calls, 'add_action')[0]).toMatchObject({ recommendationId: 'r5', input: { text: 'Train staff' } });

    await user.type(screen.getByRole('textbox', { name: 'New update on action 1 of R1' }), 'Half the staff trained');
    await user.click(screen.getByRole('button', { name: 'Add update to action 1 of R1' }));
    await waitFor(() => expect(callsOf(calls, 'add_action_update')).toHaveLength(1));
    expect(callsOf(calls, 'add_action_update')[0]).toMatchObject({ actionId: 'a1', text: 'Half the staff trained' });
    expect(callsOf(calls, 'add_action_update')[0].date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('reorders within an origin group by the recommendation’s place in the whole list', async () => {
    const calls = mockCommands(handlers({ move_recommendation: null }));
    const user = userEvent.setup();
    render(RecommendationsPanel);
    await user.click(await screen.findByRole('button', { name: 'Move R5 up' }));
    // R5 takes R1's place: index 0 of the whole list.
    await waitFor(() => expect(callsOf(calls, 'move_recommendation')).toEqual([{ id: 'r5', to: 0 }]));
  });

  it('shows the core’s refusal as a sentence', async () => {
    mockCommands(
      handlers({
        update_recommendation: () => {
          throw { code: 'invalid', message: 'due: year 20111 is out of range (use a four-digit year)' };
        },
      }),
    );
    const user = userEvent.setup();
    render(RecommendationsPanel);
    await user.selectOptions(await screen.findByRole('combobox', { name: 'When R4 is due' }), 'No due date');
    await waitFor(() =>
      expect(review.toasts.map((t) => t.text)).toContain(
        'Check due: year 20111 is out of range (use a four-digit year).',
      ),
    );
    expect(screen.getByRole('combobox', { name: 'When R4 is due' })).toHaveValue('immediately');
  });

  it('says what to do when there are none', async () => {
    mockCommands(handlers({ recommendations: [] }));
    render(RecommendationsPanel);
    expect(await screen.findByRole('heading', { name: 'No recommendations yet' })).toBeInTheDocument();
  });
});
