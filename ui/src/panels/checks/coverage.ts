//! The Coverage tab's wording: how a row's state, a finding's evidence and the totals read.

import type { CoverageFinding, CoverageRow, CoverageTotals } from '../../lib/types';

/** Whether a row is answered, out of scope (with the panel's reason), or a gap. */
export type RowState = 'answered' | 'out_of_scope' | 'gap';

export function rowState(row: CoverageRow): RowState {
  if (row.covered) return 'answered';
  return row.out_of_scope_reason !== null && row.out_of_scope_reason.trim() !== '' ? 'out_of_scope' : 'gap';
}

/** "1 excerpt, 2 chronology entries"; "no evidence" when nothing is linked. */
export function evidenceOf(finding: CoverageFinding): string {
  const parts: string[] = [];
  if (finding.excerpts > 0) parts.push(plural(finding.excerpts, 'excerpt', 'excerpts'));
  if (finding.chronology > 0)
    parts.push(plural(finding.chronology, 'chronology entry', 'chronology entries'));
  return parts.length > 0 ? parts.join(', ') : 'no evidence';
}

/** "7 terms of reference: 5 answered, 1 out of scope, 1 not answered". */
export function totalsSummary(totals: CoverageTotals): string {
  return (
    `${plural(totals.tor_items, 'term of reference', 'terms of reference')}: ` +
    `${totals.covered} answered, ${totals.out_of_scope} out of scope, ${totals.gaps} not answered`
  );
}

/** "1 finding" / "3 findings". */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
