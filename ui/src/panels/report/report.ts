//! The Report panel's logic: the two documents, which search kinds a citation may come from,
//! where a citation opens, and citation numbers by `kind:id`.

import type { NavigationTarget } from '../../lib/review.svelte';
import type { CitedItem, Document, Finding, Location, Recommendation, RenderedDocument } from '../../lib/types';
import type { CitationInfo } from '../../components/editor/views';

export const DOCUMENTS: readonly { document: Document; label: string }[] = [
  { document: 'overview', label: 'Overview report' },
  { document: 'summary', label: 'Executive summary' },
];

/** The kinds the citation picker offers: the token's kind, the search kind, the label. */
export const CITE_KINDS: readonly { kind: string; search: string; label: string }[] = [
  { kind: 'finding', search: 'finding', label: 'Findings' },
  { kind: 'excerpt', search: 'excerpt', label: 'Excerpts' },
  { kind: 'chronology', search: 'chronology_entry', label: 'Chronology entries' },
  { kind: 'recommendation', search: 'recommendation', label: 'Recommendations' },
  { kind: 'tor', search: 'tor_item', label: 'Terms of reference' },
  { kind: 'paragraph', search: 'paragraph', label: 'Source paragraphs' },
];

/** The search kinds for the picker's kind filter ('all' or a citation kind). */
export function searchKindsFor(only: string): string[] {
  const chosen = CITE_KINDS.filter((k) => only === 'all' || k.kind === only);
  return chosen.map((k) => k.search);
}

/** The citation kind for a search hit's kind, or `null` when such a hit cannot be cited. */
export function citationKindOf(searchKind: string): string | null {
  return CITE_KINDS.find((k) => k.search === searchKind)?.kind ?? null;
}

/** Numbers and words for each cited record, by `kind:id`. */
export function citationIndex(rendered: RenderedDocument | null): Map<string, CitationInfo> {
  const map = new Map<string, CitationInfo>();
  for (const c of rendered?.citations ?? []) map.set(`${c.kind}:${c.id}`, infoOf(c));
  return map;
}

function infoOf(c: CitedItem): CitationInfo {
  return { number: c.number, label: c.label, detail: c.detail, missing: c.missing };
}

/**
 * Where a citation opens. Excerpts and paragraphs need their source (and paragraph), which
 * `locate` gives; the others open by id, as evidence chips and search hits do.
 */
export function citationTarget(kind: string, id: string, where: Location | null): NavigationTarget {
  switch (kind) {
    case 'excerpt':
      return {
        panel: 'sources',
        kind: 'excerpt',
        id,
        sourceId: where?.source_id ?? null,
        paragraphId: where?.paragraph_id ?? null,
        excerptId: id,
      };
    case 'paragraph':
      return { panel: 'sources', kind: 'paragraph', id, sourceId: where?.source_id ?? null, paragraphId: id };
    case 'source':
      return { panel: 'sources', kind: 'source', id, sourceId: id };
    case 'chronology':
      return { panel: 'chronology', kind: 'chronology_entry', id };
    case 'recommendation':
      return { panel: 'recommendations', kind: 'recommendation', id };
    case 'tor':
      return { panel: 'tor', kind: 'tor_item', id };
    default:
      return { panel: 'findings', kind: 'finding', id };
  }
}

/** The search kind `locate` knows a citation kind by. */
export function locateKind(kind: string): string {
  return CITE_KINDS.find((k) => k.kind === kind)?.search ?? kind;
}

/**
 * Findings and recommendations by `kind:id` as the report sets one out when a paragraph holds
 * nothing but its citation: "F7 statement", "R3 text" (src/report/markdown.rs `embedded`).
 */
export function fullTextIndex(
  findings: Pick<Finding, 'id' | 'number' | 'statement'>[],
  recommendations: Pick<Recommendation, 'id' | 'number' | 'text'>[],
): Map<string, string> {
  const map = new Map<string, string>();
  for (const f of findings) map.set(`finding:${f.id}`, `F${f.number} ${f.statement.trim()}`);
  for (const r of recommendations) map.set(`recommendation:${r.id}`, `R${r.number} ${r.text.trim()}`);
  return map;
}
