// A review as `current_review` answers it, for component tests: details with no dates set.
import type { ReviewInfo } from '../lib/api';

export function reviewInfo(overrides: Partial<ReviewInfo> = {}): ReviewInfo {
  return {
    path: '/home/u/demo.threadline',
    details: {
      id: 'r1',
      title: 'Child R',
      review_type: 'cspr',
      board: 'Northshire Safeguarding Partnership',
      subjects: ['Child R'],
      incident_date: null,
      decision_date: null,
      commissioned_date: null,
      first_panel_date: null,
      draft_issued_date: null,
      published_date: null,
      review_period_start: null,
      review_period_end: null,
      context_period_start: null,
      context_period_end: null,
      status: 'analysis',
    },
    stats: { tables: [], source_words: 0, changes: 0, file_bytes: 4096 },
    ...overrides,
  };
}
