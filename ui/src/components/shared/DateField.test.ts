import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { AppError } from '../../lib/api';
import { callsOf, mockCommands } from '../../test/ipc';
import DateField from './DateField.svelte';
import { acceptReading, dateProblem, formatTypedDate } from './date-field';

describe('formatTypedDate', () => {
  it('writes dates day first, at their precision', () => {
    expect(formatTypedDate('2009-04-03')).toBe('03/04/2009');
    expect(formatTypedDate('2009-04-01', 'month')).toBe('04/2009');
    expect(formatTypedDate('2009-01-01', 'year')).toBe('2009');
    expect(formatTypedDate('2009-01-01', 'approximate')).toBe('c. 2009');
    expect(formatTypedDate('2009-04-01', 'approximate')).toBe('c. 04/2009');
    expect(formatTypedDate('2009-04-03', 'approximate')).toBe('c. 03/04/2009');
    expect(formatTypedDate(null)).toBe('');
  });
});

describe('dateProblem', () => {
  it('turns the core’s advice into a sentence and anything else into describe()', () => {
    const unreadable = new AppError(
      'invalid',
      "date: 'soon' is not a date Threadline can read; write it like 12/03/2021, 12 March 2021, March 2021, 2021 or c. 2019",
    );
    expect(dateProblem(unreadable, 'soon')).toBe(
      '“soon” is not a date Threadline can read. Write it like 12/03/2021, 12 March 2021, March 2021, 2021 or c. 2019.',
    );
    const impossible = new AppError('invalid', "date: '31/02/2009' is not a real date: February 2009 has no day 31");
    expect(dateProblem(impossible, '31/02/2009')).toBe('“31/02/2009” is not a real date: February 2009 has no day 31.');
    expect(dateProblem(new AppError('ipc', 'x'), 'x')).toMatch(/could not reach Threadline/);
  });

  it('takes a day or month where the field needs one', () => {
    expect(acceptReading({ date: '2009-04-03', precision: 'day' }, 'month', '3/4/09')).toEqual({
      ok: true,
      date: { date: '2009-04-01', precision: 'month' },
    });
    expect(acceptReading({ date: '2009-01-01', precision: 'year' }, 'month', '2009')).toMatchObject({ ok: false });
    expect(acceptReading({ date: '2009-04-01', precision: 'month' }, 'day', 'April 2009')).toEqual({
      ok: false,
      error: '“April 2009” gives only a month: this needs a day, like 03/04/2009.',
    });
  });
});

describe('DateField', () => {
  it('shows the saved date as dd/mm/yyyy under its label, described by how to write one', () => {
    mockCommands({});
    render(DateField, { id: 'd', label: 'Incident', value: '2009-04-03' });
    const field = screen.getByLabelText('Incident');
    expect(field).toHaveValue('03/04/2009');
    expect(field).toHaveAttribute('placeholder', 'dd/mm/yyyy');
    expect(field).toHaveAccessibleDescription('Day first, for example 03/04/2009 or 3 April 2009.');
    expect(field).toHaveAttribute('aria-invalid', 'false');
  });

  it.each([
    ['3/4/09', '2009-04-03'],
    ['3 April 2009', '2009-04-03'],
    ['2009-04-03', '2009-04-03'],
    ['31.12.1999', '1999-12-31'],
  ])('reads “%s” through the core when focus leaves, then shows it day first', async (typed, iso) => {
    const user = userEvent.setup();
    const calls = mockCommands({});
    const onchange = vi.fn();
    render(DateField, { id: 'd', label: 'Incident', value: null, onchange });
    const field = screen.getByLabelText('Incident');
    await user.type(field, typed);
    expect(onchange).not.toHaveBeenCalled();
    await user.tab();
    await waitFor(() => expect(onchange).toHaveBeenCalledTimes(1));
    expect(onchange.mock.calls[0][0]).toBe(iso);
    expect(callsOf(calls, 'parse_date')).toEqual([{ text: typed }]);
    expect(field).toHaveValue(formatTypedDate(iso));
  });

  it('reads the text on Enter', async () => {
    const user = userEvent.setup();
    mockCommands({});
    const onchange = vi.fn();
    render(DateField, { id: 'd', label: 'Received', value: '2020-01-01', onchange });
    const field = screen.getByLabelText('Received');
    await user.clear(field);
    await user.type(field, '3 April 2009{Enter}');
    await waitFor(() => expect(onchange).toHaveBeenCalledWith('2009-04-03', expect.anything(), '3 April 2009'));
    expect(field).toHaveValue('03/04/2009');
  });

  it('shows why an unreadable date was refused, saves nothing, and Escape puts the date back', async () => {
    const user = userEvent.setup();
    mockCommands({});
    const onchange = vi.fn();
    render(DateField, { id: 'd', label: 'Incident', value: '2009-04-03', onchange });
    const field = screen.getByLabelText('Incident');
    await user.clear(field);
    await user.type(field, 'next Tuesday');
    await user.tab();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('“next Tuesday” is not a date Threadline can read. Write it like 12/03/2021');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription(expect.stringContaining('is not a date Threadline can read'));
    expect(field).toHaveValue('next Tuesday');
    expect(onchange).not.toHaveBeenCalled();

    await user.click(field);
    await user.keyboard('{Escape}');
    expect(field).toHaveValue('03/04/2009');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(field).toHaveAttribute('aria-invalid', 'false');
  });

  it('refuses a month or a year where a day is needed', async () => {
    const user = userEvent.setup();
    mockCommands({});
    const onchange = vi.fn();
    render(DateField, { id: 'd', label: 'Due', value: null, onchange });
    await user.type(screen.getByLabelText('Due'), 'April 2009');
    await user.tab();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      '“April 2009” gives only a month: this needs a day, like 03/04/2009.',
    );
    expect(onchange).not.toHaveBeenCalled();
  });

  it('clears to no date, unless a date is required', async () => {
    const user = userEvent.setup();
    mockCommands({});
    const onchange = vi.fn();
    render(DateField, { id: 'a', label: 'Published', value: '2009-04-03', onchange });
    await user.clear(screen.getByLabelText('Published'));
    await user.tab();
    await waitFor(() => expect(onchange).toHaveBeenCalledWith(null, null, ''));

    const required = vi.fn();
    render(DateField, { id: 'b', label: 'Date', value: '2009-04-03', required: true, onchange: required });
    await user.clear(screen.getByLabelText('Date'));
    await user.tab();
    expect(await screen.findByRole('alert')).toHaveTextContent('Enter a date, like 03/04/2009.');
    expect(required).not.toHaveBeenCalled();
  });

  it('takes a month, a year or an approximate date where any precision is allowed', async () => {
    const user = userEvent.setup();
    mockCommands({});
    const onchange = vi.fn();
    render(DateField, { id: 'd', label: 'Date', value: '2021-03-12', accept: 'any', onchange });
    const field = screen.getByLabelText('Date');
    await user.clear(field);
    await user.type(field, 'April 2009');
    await user.tab();
    await waitFor(() => expect(onchange).toHaveBeenCalledTimes(1));
    expect(onchange.mock.calls[0][1]).toEqual({ date: '2009-04-01', precision: 'month' });
    expect(field).toHaveValue('04/2009');
    await user.clear(field);
    await user.type(field, 'c. 2009');
    await user.tab();
    await waitFor(() => expect(field).toHaveValue('c. 2009'));
  });

  it('stores a month as its first day in a month field', async () => {
    const user = userEvent.setup();
    mockCommands({});
    const onchange = vi.fn();
    render(DateField, { id: 'd', label: 'Month due', value: null, accept: 'month', onchange });
    const field = screen.getByLabelText('Month due');
    expect(field).toHaveAttribute('placeholder', 'mm/yyyy');
    await user.type(field, 'July 2011');
    await user.tab();
    await waitFor(() => expect(onchange).toHaveBeenCalledWith('2011-07-01', expect.anything(), 'July 2011'));
    expect(field).toHaveValue('07/2011');
  });

  it('lets a form read the typed text before it saves, with commit()', async () => {
    mockCommands({});
    const onchange = vi.fn();
    const { component } = render(DateField, { id: 'd', label: 'Date', value: null, onchange });
    const field = screen.getByLabelText('Date');
    await fireEvent.input(field, { target: { value: '1/2/2003' } });
    await expect(component.commit()).resolves.toBe(true);
    expect(onchange).toHaveBeenCalledWith('2003-02-01', expect.anything(), '1/2/2003');
    await fireEvent.input(field, { target: { value: '1/2/' } });
    await expect(component.commit()).resolves.toBe(false);
  });

  it('follows a new saved value unless the user is typing', async () => {
    mockCommands({});
    const view = render(DateField, { id: 'd', label: 'Date', value: '2009-04-03' });
    const field = screen.getByLabelText('Date');
    await view.rerender({ value: '2010-05-06' });
    expect(field).toHaveValue('06/05/2010');
    await fireEvent.input(field, { target: { value: '7/8' } });
    await view.rerender({ value: '2011-01-01' });
    expect(field).toHaveValue('7/8');
  });
});
