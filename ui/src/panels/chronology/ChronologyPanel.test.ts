import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';

import { review } from '../../lib/review.svelte';
import type { ChronologyEntry } from '../../lib/types';
import { callsOf, mockCommands } from '../../test/ipc';
import ChronologyPanel from './ChronologyPanel.svelte';
import { AGENCIES, ENTRIES, PERIODS } from './fixtures';


function handlers(extra: Record<string, unknown> = {}) {
  return {
    chronology: ENTRIES,
    agencies: AGENCIES,
    details: { ...PERIODS, id: 'd', title: 'Child Q', status: 'analysis' },
    sources: [],
    findings: [
      {
        id: 'f1',
        number: 1,
        theme_id: null,
        kind: 'practice',
        statement: 'Signs of harm were missed',
        analysis: '',
        evidence_count: 0,
        tor_ids: [],
      },
    ],
    themes: [],
    update_chronology_entry: (a: Record<string, unknown>) => ({
      ...ENTRIES.find((e) => e.id === a.id)!,
      ...(a.input as Partial<ChronologyEntry>),
    }),
    ...extra,
  };
}

beforeEach(() => {
  review.navigation = null;
});

describe('ChronologyPanel', () => {
  it('lists every entry in date order and filters by agency and missed opportunity', async () => {
    mockCommands(handlers());
    const user = userEvent.setup();
    render(ChronologyPanel);
    const list = await screen.findByRole('list', { name: 'Chronology entries' });
    const events = () =>
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.querySelector('[data-entry-row]')!.getAttribute('data-entry-row'));
    expect(events()).toEqual(['e1', 'e4', 'e2', 'e3', 'e5']);

    await user.selectOptions(screen.getByLabelText('Agency'), 'Police');
    expect(events()).toEqual(['e2', 'e5']);
    expect(screen.getByText('Showing 2 of 5 entries')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await user.click(screen.getByLabelText('Missed opportunities only'));
    expect(events()).toEqual(['e3']);
  });

  it('sorts by significance from the column heading', async () => {
    mockCommands(handlers());
    const user = userEvent.setup();
    render(ChronologyPanel);
    const list = await screen.findByRole('list', { name: 'Chronology entries' });
    await user.click(screen.getByRole('button', { name: 'Sort by significance' }));
    await user.click(screen.getByRole('button', { name: 'Sort by significance (now ascending)' }));
    const first = within(list).getAllByRole('listitem')[0];
    expect(first.querySelector('[data-entry-row]')!.getAttribute('data-entry-row')).toBe('e2');
  });

  it('saves a new significance at once, sending the whole entry', async () => {
    const calls = mockCommands(handlers());
    const user = userEvent.setup();
    render(ChronologyPanel);
    const select = await screen.findByRole('combobox', { name: 'Significance of the entry of 01/06/2019' });
    await user.selectOptions(select, 'Key practice episode');
    await waitFor(() => expect(callsOf(calls, 'update_chronology_entry')).toHaveLength(1));
    const { id, input } = callsOf(calls, 'update_chronology_entry')[0] as {
      id: string;
      input: Record<string, unknown>;
    };
    expect(id).toBe('e1');
    expect(input).toMatchObject({
      date: '2019-06-01',
      agency_id: 'gp',
      event: 'Registered with GP',
      significance: 'key_practice_episode',
      missed_opportunity: false,
    });
    expect(input).not.toHaveProperty('period');
  });

  it('asks for the rationale before marking a missed opportunity', async () => {
    const calls = mockCommands(handlers());
    const user = userEvent.setup();
    render(ChronologyPanel);
    await user.click(await screen.findByRole('checkbox', { name: 'Missed opportunity (01/06/2019)' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit chronology entry' });
    expect(within(dialog).getByLabelText('Why it was a missed opportunity')).toHaveFocus();
    expect(callsOf(calls, 'update_chronology_entry')).toHaveLength(0);
    await user.type(within(dialog).getByLabelText('Why it was a missed opportunity'), 'No follow-up');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(callsOf(calls, 'update_chronology_entry')).toHaveLength(1));
    expect(callsOf(calls, 'update_chronology_entry')[0].input).toMatchObject({
      missed_opportunity: true,
      missed_rationale: 'No follow-up',
    });
  });

  it('adds an entry dated as the author wrote it, reading the precision from the text', async () => {
    const calls = mockCommands(
      handlers({ add_chronology_entry: (args: Record<string, unknown>) => ({ ...ENTRIES[0], ...(args.input as object), id: 'new' }) }),
    );
    const user = userEvent.setup();
    render(ChronologyPanel);
    await user.click(await screen.findByRole('button', { name: 'Add entry…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add chronology entry' });
    const date = within(dialog).getByLabelText('Date');
    await user.clear(date);
    await user.type(date, 'March 2021');
    await user.tab();
    await waitFor(() => expect(date).toHaveValue('03/2021'));
    expect(within(dialog).getByLabelText('How precise')).toHaveValue('month');
    expect(within(dialog).getByLabelText('Date as written')).toHaveValue('March 2021');

    // An end date that cannot be read stops the save, with the reason under the field.
    const until = within(dialog).getByLabelText('Until (optional)');
    await user.type(until, 'later');
    await user.type(within(dialog).getByLabelText('What happened'), 'Referral to MASH');
    await user.click(within(dialog).getByRole('button', { name: 'Add entry' }));
    expect(await within(dialog).findByText(/“later” is not a date Threadline can read/)).toBeInTheDocument();
    expect(callsOf(calls, 'add_chronology_entry')).toHaveLength(0);

    await user.clear(until);
    await user.click(within(dialog).getByRole('button', { name: 'Add entry' }));
    await waitFor(() => expect(callsOf(calls, 'add_chronology_entry')).toHaveLength(1));
    expect(callsOf(calls, 'add_chronology_entry')[0].input).toMatchObject({
      date: '2021-03-01',
      precision: 'month',
      date_text: 'March 2021',
      end_date: null,
      event: 'Referral to MASH',
    });
  });

  it('links an entry to a finding with a chronology target', async () => {
    const calls = mockCommands(
      handlers({
        link_evidence: () => ({ id: 'l', finding_id: 'f1', excerpt_id: null, chronology_id: 'e3', relation: 'supports', note: '' }),
      }),
    );
    const user = userEvent.setup();
    render(ChronologyPanel);
    // Two entries share 12/03/2020; the first in date order is e2.
    const [button] = await screen.findAllByRole('button', { name: 'Link the entry of 12/03/2020 to a finding' });
    await user.click(button);
    const dialog = await screen.findByRole('dialog', { name: 'Link to a finding' });
    await user.click(within(dialog).getByRole('button', { name: 'Link' }));
    await waitFor(() => expect(callsOf(calls, 'link_evidence')).toHaveLength(1));
    expect(callsOf(calls, 'link_evidence')[0]).toMatchObject({
      findingId: 'f1',
      target: { kind: 'chronology', id: 'e2' },
    });
  });

  it('opens an event clicked on the timeline in the table and the editor', async () => {
    mockCommands(handlers());
    const user = userEvent.setup();
    render(ChronologyPanel);
    await user.click(await screen.findByRole('tab', { name: 'Timeline' }));
    await user.click(screen.getByRole('button', { name: /Bruise noticed at school/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit chronology entry' });
    expect(within(dialog).getByLabelText('What happened')).toHaveValue('Bruise noticed at school');
    expect(screen.getByRole('tab', { name: 'Table' })).toHaveAttribute('aria-selected', 'true');
    expect(document.querySelector('[data-entry-row="e3"]')).toHaveClass('selected');
  });

  it('answers a navigation request by selecting the entry, clearing filters that hide it', async () => {
    mockCommands(handlers());
    const user = userEvent.setup();
    render(ChronologyPanel);
    await screen.findByRole('list', { name: 'Chronology entries' });
    await user.selectOptions(screen.getByLabelText('Agency'), 'GP');
    review.navigate({ panel: 'chronology', kind: 'chronology_entry', id: 'e5' });
    await waitFor(() => expect(document.querySelector('[data-entry-row="e5"]')).toHaveClass('selected'));
    expect((screen.getByLabelText('Agency') as HTMLSelectElement).selectedOptions[0].textContent).toBe(
      'All agencies',
    );
    await waitFor(() => expect(document.activeElement).toBe(document.querySelector('[data-entry-row="e5"]')));
    expect(review.navigation).toBeNull();
  });

  it('says what to do when the chronology is empty', async () => {
    mockCommands(handlers({ chronology: [] }));
    render(ChronologyPanel);
    expect(await screen.findByRole('heading', { name: 'No chronology entries yet' })).toBeInTheDocument();
  });
});
