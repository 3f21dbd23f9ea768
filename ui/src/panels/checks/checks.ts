//! The Checks panel's logic: results grouped by severity, and where each result's record opens.

import type { NavigationTarget } from '../../lib/review.svelte';
import type { CheckResult, CheckTarget, Severity } from '../../lib/types';

export const SEVERITIES: readonly { severity: Severity; label: string }[] = [
  { severity: 'error', label: 'Errors' },
  { severity: 'warning', label: 'Warnings' },
  { severity: 'info', label: 'Notes' },
];

export interface SeverityGroup {
  severity: Severity;
  label: string;
  results: CheckResult[];
}

/** The results in groups by severity (most serious first), leaving out empty groups. */
export function groupBySeverity(results: CheckResult[], shown: Severity | 'all'): SeverityGroup[] {
  return SEVERITIES.filter((s) => shown === 'all' || s.severity === shown)
    .map((s) => ({ ...s, results: results.filter((r) => r.severity === s.severity) }))
    .filter((g) => g.results.length > 0);
}

/** Where a result's record opens: the review details in the Overview, sections in the Report. */
export function targetOf(target: CheckTarget): NavigationTarget {
  switch (target.kind) {
    case 'details':
      return { panel: 'overview', kind: 'details', id: target.id };
    case 'section':
      return { panel: 'report', kind: 'section', id: target.id };
    case 'tor':
      return { panel: 'tor', kind: 'tor_item', id: target.id };
    case 'source':
      return { panel: 'sources', kind: 'source', id: target.id, sourceId: target.id };
    case 'chronology':
      return { panel: 'chronology', kind: 'chronology_entry', id: target.id };
    case 'finding':
      return { panel: 'findings', kind: 'finding', id: target.id };
    case 'recommendation':
      return { panel: 'recommendations', kind: 'recommendation', id: target.id };
    case 'action':
      return { panel: 'recommendations', kind: 'action', id: target.id };
  }
}
