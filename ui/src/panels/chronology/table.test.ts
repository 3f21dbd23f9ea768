import { describe, expect, it } from 'vitest';

import { AGENCIES, ENTRIES, entry } from './fixtures';
import {
  EMPTY_FILTER,
  NO_AGENCY,
  displayDate,
  filterAndSort,
  inputProblem,
  matches,
  nextSort,
  blankInput,
  type TableFilter,
} from './table';

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
const byDate = { key: 'date', direction: 'asc' } as const;
const filter = (over: Partial<TableFilter>): TableFilter => ({ ...EMPTY_FILTER, ...over });

describe('chronology filtering', () => {
  it('lets everything through with no filter, in date then same-day order', () => {
    expect(ids(filterAndSort(ENTRIES, AGENCIES, EMPTY_FILTER, byDate))).toEqual(['e1', 'e4', 'e2', 'e3', 'e5']);
  });

  it('filters by agency, and by no agency', () => {
    expect(ids(filterAndSort(ENTRIES, AGENCIES, filter({ agencyId: 'police' }), byDate))).toEqual(['e2', 'e5']);
    expect(ids(filterAndSort(ENTRIES, AGENCIES, filter({ agencyId: NO_AGENCY }), byDate))).toEqual(['e4']);
  });

  it('filters by period, significance and missed opportunity together', () => {
    expect(ids(filterAndSort(ENTRIES, AGENCIES, filter({ period: 'context' }), byDate))).toEqual(['e1']);
    expect(ids(filterAndSort(ENTRIES, AGENCIES, filter({ significance: 'significant' }), byDate))).toEqual([
      'e3',
      'e5',
    ]);
    expect(
      ids(filterAndSort(ENTRIES, AGENCIES, filter({ significance: 'significant', missedOnly: true }), byDate)),
    ).toEqual(['e3']);
  });

  it('keeps entries that overlap a date range, as the core does', () => {
    // e5 is "February 2021": its date is the 1st, and it passes a range starting on the 1st.
    expect(ids(filterAndSort(ENTRIES, AGENCIES, filter({ from: '2020-03-12', to: '2021-02-01' }), byDate))).toEqual([
      'e2',
      'e3',
      'e5',
    ]);
    // An event with an end date passes a range that starts after it began but before it ended.
    const long = entry({ id: 'x', date: '2020-01-01', end_date: '2020-02-10' });
    expect(matches(long, filter({ from: '2020-02-01' }))).toBe(true);
    expect(matches(long, filter({ from: '2020-02-11' }))).toBe(false);
  });

  it('finds words in any case among event, date text and locator', () => {
    const rows = filterAndSort(ENTRIES, AGENCIES, filter({ text: 'BRUISE school' }), byDate);
    expect(ids(rows)).toEqual(['e3']);
  });
});

describe('chronology sorting', () => {
  it('sorts by date descending', () => {
    expect(ids(filterAndSort(ENTRIES, AGENCIES, EMPTY_FILTER, { key: 'date', direction: 'desc' }))).toEqual([
      'e5',
      'e3',
      'e2',
      'e4',
      'e1',
    ]);
  });

  it('sorts by agency name (short name first), no agency last, dates in order within one', () => {
    // "GP", "Oakfield Primary School" (no short name), "Police".
    expect(ids(filterAndSort(ENTRIES, AGENCIES, EMPTY_FILTER, { key: 'agency', direction: 'asc' }))).toEqual([
      'e1',
      'e3',
      'e2',
      'e5',
      'e4',
    ]);
    expect(ids(filterAndSort(ENTRIES, AGENCIES, EMPTY_FILTER, { key: 'agency', direction: 'desc' }))).toEqual([
      'e2',
      'e5',
      'e3',
      'e1',
      'e4',
    ]);
  });

  it('sorts by significance with key practice episodes first when descending', () => {
    const desc = filterAndSort(ENTRIES, AGENCIES, EMPTY_FILTER, { key: 'significance', direction: 'desc' });
    expect(ids(desc)).toEqual(['e2', 'e3', 'e5', 'e1', 'e4']);
    const asc = filterAndSort(ENTRIES, AGENCIES, EMPTY_FILTER, { key: 'significance', direction: 'asc' });
    expect(ids(asc)).toEqual(['e1', 'e4', 'e3', 'e5', 'e2']);
  });

  it('flips the direction on the same column and starts a new column ascending', () => {
    expect(nextSort(byDate, 'date')).toEqual({ key: 'date', direction: 'desc' });
    expect(nextSort({ key: 'date', direction: 'desc' }, 'agency')).toEqual({ key: 'agency', direction: 'asc' });
  });

  it('does not reorder the loaded list it was given', () => {
    const copy = ENTRIES.slice();
    filterAndSort(ENTRIES, AGENCIES, EMPTY_FILTER, { key: 'date', direction: 'desc' });
    expect(ENTRIES).toEqual(copy);
  });

  it('filters and sorts 20,000 entries quickly', () => {
    const many = Array.from({ length: 20_000 }, (_, i) =>
      entry({
        id: `m${i}`,
        date: `20${String(10 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
        agency_id: AGENCIES[i % 3].id,
        significance: i % 7 === 0 ? 'key_practice_episode' : 'routine',
        missed_opportunity: i % 11 === 0,
        missed_rationale: i % 11 === 0 ? 'why' : '',
      }),
    );
    const t0 = performance.now();
    const rows = filterAndSort(many, AGENCIES, filter({ missedOnly: true }), { key: 'agency', direction: 'asc' });
    const ms = performance.now() - t0;
    expect(rows.length).toBe(Math.ceil(20_000 / 11));
    expect(ms).toBeLessThan(500);
  });
});

describe('chronology display and checks', () => {
  it('shows dates as precisely as they are known', () => {
    expect(displayDate({ date: '2021-03-12', precision: 'day', end_date: null })).toBe('12/03/2021');
    expect(displayDate({ date: '2021-03-01', precision: 'month', end_date: null })).toBe('March 2021');
    expect(displayDate({ date: '2021-01-01', precision: 'year', end_date: null })).toBe('2021');
    expect(displayDate({ date: '2019-01-01', precision: 'approximate', end_date: null })).toBe('c. 2019');
    expect(displayDate({ date: '2021-03-12', precision: 'day', end_date: '2021-03-14' })).toBe(
      '12/03/2021 – 14/03/2021',
    );
  });

  it('asks for a missed opportunity’s rationale before saving', () => {
    const input = { ...blankInput('2021-01-01'), event: 'x', missed_opportunity: true };
    expect(inputProblem(input)).toMatch(/why it was a missed opportunity/);
    expect(inputProblem({ ...input, missed_rationale: 'no referral' })).toBeNull();
    expect(inputProblem({ ...input, missed_opportunity: false, event: ' ' })).toBe('Say what happened.');
  });
});
