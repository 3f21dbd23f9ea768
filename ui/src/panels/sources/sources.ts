//! The Sources panel's plain logic: names for the kinds and ratings, sources grouped by agency,
//! the paging of a source's paragraphs, and the form that edits a source's details.

import type { Agency, Confidence, Paragraph, Source, SourceInput, SourceKind } from '../../lib/types';

export const KIND_LABEL: Record<SourceKind, string> = {
  imr: 'IMR',
  chronology: 'Chronology',
  interview: 'Interview notes',
  minutes: 'Minutes',
  health_overview: 'Health overview',
  prior_review: 'Prior review',
  other: 'Other document',
};

export const KINDS = Object.keys(KIND_LABEL) as SourceKind[];

export const CONFIDENCE_LABEL: Record<Confidence, string> = {
  high: 'High confidence',
  medium: 'Medium confidence',
  low: 'Low confidence',
  not_rated: 'Not rated',
};

export const CONFIDENCES = Object.keys(CONFIDENCE_LABEL) as Confidence[];

export interface SourceGroup {
  /** The agency's id, or `null` for sources with no agency. */
  agencyId: string | null;
  name: string;
  sources: Source[];
}

/**
 * Sources grouped by agency, groups in the review's agency order and sources in their own
 * order; sources with no agency (or an agency the list does not know) come last.
 */
export function groupByAgency(sources: readonly Source[], agencies: readonly Agency[]): SourceGroup[] {
  const known = new Set(agencies.map((a) => a.id));
  const groups: SourceGroup[] = agencies.map((a) => ({ agencyId: a.id, name: a.name, sources: [] }));
  const byId = new Map(groups.map((g) => [g.agencyId, g]));
  const none: SourceGroup = { agencyId: null, name: 'No agency', sources: [] };
  for (const s of sources) {
    const group = s.agency_id !== null && known.has(s.agency_id) ? byId.get(s.agency_id)! : none;
    group.sources.push(s);
  }
  return [...groups, none].filter((g) => g.sources.length > 0);
}

/**
 * The index in the whole list to pass to `move_source` (or `move_recommendation`) so that an
 * item takes the place of the `to`-th item of its own group: the core removes the item, then
 * inserts it at the index, so the neighbour's index is the right one either way.
 */
export function globalMoveIndex<T extends { id: string }>(
  all: readonly T[],
  group: readonly T[],
  to: number,
): number {
  const target = group[Math.max(0, Math.min(to, group.length - 1))];
  return all.findIndex((s) => s.id === target.id);
}

/** How many paragraphs one `paragraphs` call fetches. */
export const PAGE_SIZE = 100;

/** The page holding paragraph index `index` (0-based). */
export function pageOf(index: number): number {
  return Math.floor(index / PAGE_SIZE);
}

/** The paragraph's number as the reader shows it: the document's own label, else its order. */
export function paragraphName(p: Pick<Paragraph, 'seq' | 'label'>): string {
  return p.label?.trim() ? `¶${p.label.trim()}` : `paragraph ${p.seq}`;
}

/** The editable fields of a source. */
export function inputOf(s: Source): SourceInput {
  return {
    kind: s.kind,
    agency_id: s.agency_id,
    title: s.title,
    author: s.author,
    independence: s.independence,
    received_date: s.received_date,
    version: s.version,
    confidence: s.confidence,
    confidence_reason: s.confidence_reason,
    summary: s.summary,
  };
}

/** A blank source of `kind`, for imports and new sources. */
export function blankInput(title = '', kind: SourceKind = 'imr', agencyId: string | null = null): SourceInput {
  return {
    kind,
    agency_id: agencyId,
    title,
    author: '',
    independence: '',
    received_date: null,
    version: '',
    confidence: 'not_rated',
    confidence_reason: '',
    summary: '',
  };
}

/** Why the form cannot be saved as it stands, or `null` when it can. */
export function inputProblem(input: SourceInput): string | null {
  if (!input.title.trim()) return 'Give the source a title.';
  if (input.confidence !== 'not_rated' && !input.confidence_reason.trim()) {
    return 'Give the reason for the confidence rating; the rating is saved once it has one.';
  }
  return null;
}

/** A title from a file path: its name without folders or extension. */
export function titleFromPath(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  return name.replace(/\.[^.]+$/, '').replace(/[_]+/g, ' ').trim() || name;
}

/** Whether two source inputs hold the same values. */
export function sameInput(a: SourceInput, b: SourceInput): boolean {
  return (Object.keys(a) as (keyof SourceInput)[]).every((k) => (a[k] ?? null) === (b[k] ?? null));
}
