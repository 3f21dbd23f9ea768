//! Chronology records for the panel's tests.

import type { Agency, ChronologyEntry, Details } from '../../lib/types';

export const AGENCIES: Agency[] = [
  { id: 'police', name: 'Northshire Police', short_name: 'Police', sector: 'police' },
  { id: 'school', name: 'Oakfield Primary School', short_name: '', sector: 'education' },
  { id: 'gp', name: 'Riverside GP Practice', short_name: 'GP', sector: 'health' },
];

export function entry(over: Partial<ChronologyEntry> & { id: string; date: string }): ChronologyEntry {
  return {
    precision: 'day',
    end_date: null,
    date_text: '',
    seq: 0,
    agency_id: null,
    people: [],
    event: `Event ${over.id}`,
    source_locator: '',
    source_id: null,
    paragraph_id: null,
    significance: 'routine',
    missed_opportunity: false,
    missed_rationale: '',
    period: 'review',
    ...over,
  };
}

export const ENTRIES: ChronologyEntry[] = [
  entry({ id: 'e1', date: '2019-06-01', agency_id: 'gp', period: 'context', event: 'Registered with GP' }),
  entry({
    id: 'e2',
    date: '2020-03-12',
    agency_id: 'police',
    significance: 'key_practice_episode',
    event: 'Police called to a domestic incident',
  }),
  entry({
    id: 'e3',
    date: '2020-03-12',
    seq: 1,
    agency_id: 'school',
    significance: 'significant',
    missed_opportunity: true,
    missed_rationale: 'No referral to children’s social care',
    event: 'Bruise noticed at school',
  }),
  entry({ id: 'e4', date: '2020-01-05', agency_id: null, event: 'Family moved house', period: 'review' }),
  entry({
    id: 'e5',
    date: '2021-02-01',
    precision: 'month',
    agency_id: 'police',
    significance: 'significant',
    event: 'Further call-outs during February',
  }),
];

export const PERIODS: Pick<
  Details,
  'review_period_start' | 'review_period_end' | 'context_period_start' | 'context_period_end'
> = {
  review_period_start: '2020-01-01',
  review_period_end: '2021-06-30',
  context_period_start: '2019-01-01',
  context_period_end: '2019-12-31',
};
