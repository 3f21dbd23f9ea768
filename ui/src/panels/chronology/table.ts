//! The chronology table's filtering and sorting, as pure functions over the loaded entries.
//!
//! The panel loads every entry once (the core works out each entry's period) and filters and
//! sorts in the window, so changing a filter answers at once even with 20,000 rows. The
//! date-range rule matches the core's `chronology` filter: an entry passes when it ends on or
//! after `from` and starts on or before `to`.

import type { Agency, ChronologyEntry, ChronologyInput, Period, Significance } from '../../lib/types';
import { MONTH_NAMES } from '../../lib/format';

/** `agencyId` may also be this, for entries with no agency. */
export const NO_AGENCY = '__none__';

export interface TableFilter {
  /** An agency id, `NO_AGENCY`, or `null` for all. */
  agencyId: string | null;
  period: Period | null;
  significance: Significance | null;
  missedOnly: boolean;
  /** YYYY-MM-DD; entries ending before it are left out. */
  from: string | null;
  /** YYYY-MM-DD; entries starting after it are left out. */
  to: string | null;
  /** Words the event, date text or source locator must contain (any case). */
  text: string;
}

export const EMPTY_FILTER: TableFilter = {
  agencyId: null,
  period: null,
  significance: null,
  missedOnly: false,
  from: null,
  to: null,
  text: '',
};

export type SortKey = 'date' | 'agency' | 'significance';
export type SortDirection = 'asc' | 'desc';

export interface TableSort {
  key: SortKey;
  direction: SortDirection;
}

/** Higher is more significant. */
export const SIGNIFICANCE_RANK: Record<Significance, number> = {
  routine: 0,
  significant: 1,
  key_practice_episode: 2,
};

export const SIGNIFICANCE_LABEL: Record<Significance, string> = {
  routine: 'Routine',
  significant: 'Significant',
  key_practice_episode: 'Key practice episode',
};

export const PERIOD_LABEL: Record<Period, string> = {
  review: 'Review period',
  context: 'Context period',
  outside: 'Outside both periods',
  unknown: 'Periods not set',
};

/** Whether `filter` lets every entry through. */
export function isEmptyFilter(filter: TableFilter): boolean {
  return (
    filter.agencyId === null &&
    filter.period === null &&
    filter.significance === null &&
    !filter.missedOnly &&
    !filter.from &&
    !filter.to &&
    filter.text.trim() === ''
  );
}

/** Whether one entry passes `filter`. */
export function matches(entry: ChronologyEntry, filter: TableFilter): boolean {
  if (filter.agencyId !== null) {
    if (filter.agencyId === NO_AGENCY ? entry.agency_id !== null : entry.agency_id !== filter.agencyId) {
      return false;
    }
  }
  if (filter.period !== null && entry.period !== filter.period) return false;
  if (filter.significance !== null && entry.significance !== filter.significance) return false;
  if (filter.missedOnly && !entry.missed_opportunity) return false;
  // ISO dates compare correctly as strings.
  if (filter.from && (entry.end_date ?? entry.date) < filter.from) return false;
  if (filter.to && entry.date > filter.to) return false;
  const words = filter.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length > 0) {
    const hay = `${entry.event}\n${entry.date_text}\n${entry.source_locator}`.toLowerCase();
    if (!words.every((w) => hay.includes(w))) return false;
  }
  return true;
}

/** The name a table or lane shows for an agency: its short name, else its name. */
export function agencyLabel(agency: Agency | undefined): string {
  if (!agency) return 'No agency';
  return agency.short_name.trim() || agency.name;
}

/** Date order as the core keeps it: date, then same-day order. */
function byDate(a: ChronologyEntry, b: ChronologyEntry): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.seq - b.seq;
}

/**
 * The entries that pass `filter`, sorted. Ties always fall back to date order (ascending), so
 * sorting by agency or significance keeps each group in time order. Entries with no agency
 * sort after every agency.
 */
export function filterAndSort(
  entries: readonly ChronologyEntry[],
  agencies: readonly Agency[],
  filter: TableFilter,
  sort: TableSort,
): ChronologyEntry[] {
  const kept = isEmptyFilter(filter) ? entries.slice() : entries.filter((e) => matches(e, filter));
  const sign = sort.direction === 'asc' ? 1 : -1;
  switch (sort.key) {
    case 'date':
      return kept.sort((a, b) => sign * byDate(a, b));
    case 'agency': {
      const names = new Map(agencies.map((a) => [a.id, agencyLabel(a).toLowerCase()]));
      const key = (e: ChronologyEntry) => (e.agency_id === null ? null : (names.get(e.agency_id) ?? ''));
      return kept.sort((a, b) => {
        const [ka, kb] = [key(a), key(b)];
        if (ka !== kb) {
          if (ka === null) return 1;
          if (kb === null) return -1;
          return sign * ka.localeCompare(kb);
        }
        return byDate(a, b);
      });
    }
    case 'significance':
      return kept.sort((a, b) => {
        const d = SIGNIFICANCE_RANK[a.significance] - SIGNIFICANCE_RANK[b.significance];
        // Ascending runs from routine up; descending puts key practice episodes first.
        return d !== 0 ? sign * d : byDate(a, b);
      });
  }
}

/** The next sort when a column header is activated: same key flips, a new key starts ascending. */
export function nextSort(current: TableSort, key: SortKey): TableSort {
  if (current.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key, direction: 'asc' };
}

/**
 * An entry's date as a reader expects it: "12/03/2021", "March 2021", "2021", "c. 2019",
 * "c. 12/03/2019", with " – 14/03/2021" after it for an event spanning days.
 */
export function displayDate(entry: Pick<ChronologyEntry, 'date' | 'precision' | 'end_date'>): string {
  const [y, m, d] = entry.date.split('-');
  let text: string;
  switch (entry.precision) {
    case 'day':
      text = `${d}/${m}/${y}`;
      break;
    case 'month':
      text = `${MONTH_NAMES[Number(m) - 1] ?? m} ${y}`;
      break;
    case 'year':
      text = y;
      break;
    case 'approximate':
      // "c. 2019" is stored as its first day; a nearer guess keeps its day.
      text = m === '01' && d === '01' ? `c. ${y}` : `c. ${d}/${m}/${y}`;
      break;
  }
  if (entry.end_date && entry.end_date !== entry.date) {
    const [ey, em, ed] = entry.end_date.split('-');
    text += ` – ${ed}/${em}/${ey}`;
  }
  return text;
}

/** The editable fields of an entry, to send back with one of them changed. */
export function inputOf(e: ChronologyEntry): ChronologyInput {
  return {
    date: e.date,
    precision: e.precision,
    end_date: e.end_date,
    date_text: e.date_text,
    agency_id: e.agency_id,
    people: [...e.people],
    event: e.event,
    source_locator: e.source_locator,
    source_id: e.source_id,
    paragraph_id: e.paragraph_id,
    significance: e.significance,
    missed_opportunity: e.missed_opportunity,
    missed_rationale: e.missed_rationale,
  };
}

/** A new entry's fields: today's date, routine, nothing else. */
export function blankInput(date: string): ChronologyInput {
  return {
    date,
    precision: 'day',
    end_date: null,
    date_text: '',
    agency_id: null,
    people: [],
    event: '',
    source_locator: '',
    source_id: null,
    paragraph_id: null,
    significance: 'routine',
    missed_opportunity: false,
    missed_rationale: '',
  };
}

/** Why the entry cannot be saved as it stands, or `null` when it can. */
export function inputProblem(input: ChronologyInput): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date)) return 'Give the date of the event.';
  if (input.end_date && input.end_date < input.date) return 'The end date must not come before the date.';
  if (!input.event.trim()) return 'Say what happened.';
  if (input.missed_opportunity && !input.missed_rationale.trim()) {
    return 'Say why it was a missed opportunity (what could have been done).';
  }
  return null;
}
