import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { mockCommands } from '../../test/ipc';

import type { Due } from '../../lib/types';
import { dueToForm, formToDue, formatDue, sameDue } from './due';
import DueEditor from './DueEditor.svelte';

describe('due forms', () => {
  it('reads each typed form of Due into the form and back', () => {
    const forms: Due[] = [
      { kind: 'none' },
      { kind: 'date', value: '2021-06-30' },
      { kind: 'month', value: { year: 2011, month: 7 } },
      { kind: 'immediately' },
      { kind: 'urgent' },
    ];
    for (const due of forms) {
      const back = formToDue(dueToForm(due));
      expect(back).toEqual({ ok: true, due });
    }
    expect(dueToForm({ kind: 'month', value: { year: 2011, month: 7 } }).month).toBe('2011-07');
  });

  it('writes due dates as the report does', () => {
    expect(formatDue({ kind: 'date', value: '2021-06-30' })).toBe('30 June 2021');
    expect(formatDue({ kind: 'month', value: { year: 2011, month: 7 } })).toBe('July 2011');
    expect(formatDue({ kind: 'immediately' })).toBe('Immediately');
    expect(formatDue({ kind: 'urgent' })).toBe('As a matter of urgency');
    expect(formatDue({ kind: 'none' })).toBe('No due date');
  });

  it('refuses a missing or impossible date or month with a sentence', () => {
    expect(formToDue({ kind: 'date', date: '', month: '' })).toEqual({ ok: false, error: 'Choose the date it is due by.' });
    expect(formToDue({ kind: 'date', date: '2021-02-30', month: '' })).toEqual({
      ok: false,
      error: '2021-02-30 is not a real date.',
    });
    expect(formToDue({ kind: 'month', date: '', month: '2021-13' })).toMatchObject({ ok: false });
    expect(formToDue({ kind: 'month', date: '', month: 'July' })).toMatchObject({ ok: false });
  });

  it('compares due values', () => {
    expect(sameDue({ kind: 'urgent' }, { kind: 'urgent' })).toBe(true);
    expect(sameDue({ kind: 'date', value: '2021-01-01' }, { kind: 'date', value: '2021-01-02' })).toBe(false);
  });
});

describe('DueEditor', () => {
  beforeEach(() => {
    mockCommands({});
  });

  it('saves "immediately" and "as a matter of urgency" at once', async () => {
    const user = userEvent.setup();
    const onsave = vi.fn(() => true);
    render(DueEditor, { due: { kind: 'none' }, label: 'R3', onsave });
    await user.selectOptions(screen.getByRole('combobox', { name: 'When R3 is due' }), 'Immediately');
    expect(onsave).toHaveBeenLastCalledWith({ kind: 'immediately' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'When R3 is due' }), 'As a matter of urgency');
    expect(onsave).toHaveBeenLastCalledWith({ kind: 'urgent' });
  });

  it('waits for the date, then saves a typed date', async () => {
    const user = userEvent.setup();
    const onsave = vi.fn(() => true);
    render(DueEditor, { due: { kind: 'none' }, label: 'R3', onsave });
    await user.selectOptions(screen.getByRole('combobox', { name: 'When R3 is due' }), 'By a date');
    expect(onsave).not.toHaveBeenCalled();
    expect(screen.getByText('Now choose the date.')).toBeInTheDocument();
    const date = screen.getByLabelText('Date R3 is due by');
    await user.type(date, '31/7/21');
    await user.tab();
    await vi.waitFor(() => expect(onsave).toHaveBeenLastCalledWith({ kind: 'date', value: '2021-07-31' }));
  });

  it('saves a month as year and month', async () => {
    const user = userEvent.setup();
    const onsave = vi.fn(() => true);
    render(DueEditor, { due: { kind: 'date', value: '2021-07-31' }, label: 'R9', onsave });
    expect(screen.getByLabelText('Date R9 is due by')).toHaveValue('31/07/2021');
    await user.selectOptions(screen.getByRole('combobox', { name: 'When R9 is due' }), 'By the end of a month');
    // Switching keeps the month of the date it had, so it saves at once.
    expect(onsave).toHaveBeenLastCalledWith({ kind: 'month', value: { year: 2021, month: 7 } });
    expect(screen.getByLabelText('Month R9 is due by')).toHaveValue('07/2021');
  });

  it('saves a month typed in words', async () => {
    const user = userEvent.setup();
    const onsave = vi.fn(() => true);
    render(DueEditor, { due: { kind: 'none' }, label: 'R2', onsave });
    await user.selectOptions(screen.getByRole('combobox', { name: 'When R2 is due' }), 'By the end of a month');
    await user.type(screen.getByLabelText('Month R2 is due by'), 'March 2022');
    await user.tab();
    await vi.waitFor(() => expect(onsave).toHaveBeenLastCalledWith({ kind: 'month', value: { year: 2022, month: 3 } }));
  });

  it('shows what was saved again when the save is refused', async () => {
    const user = userEvent.setup();
    const onsave = vi.fn(async () => false);
    render(DueEditor, { due: { kind: 'urgent' }, label: 'R1', onsave });
    const kind = screen.getByRole('combobox', { name: 'When R1 is due' });
    await user.selectOptions(kind, 'No due date');
    expect(onsave).toHaveBeenCalledWith({ kind: 'none' });
    await vi.waitFor(() => expect(kind).toHaveValue('urgent'));
  });
});
