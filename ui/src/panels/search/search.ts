//! Search results as the palette and the Search panel show them: kinds named for people,
//! hits grouped by kind (groups in the order of their best hit), and where each hit leads.

import type { SearchHit } from '../../lib/types';
import { panelForKind, type NavigationTarget } from '../../lib/review.svelte';

/** Each searchable kind's group heading, in the order the kind filter lists them. */
export const KIND_LABELS: Record<string, string> = {
  paragraph: 'Source paragraphs',
  excerpt: 'Excerpts',
  source: 'Sources',
  chronology_entry: 'Chronology',
  finding: 'Findings',
  theme: 'Themes',
  recommendation: 'Recommendations',
  action: 'Actions',
  tor_item: 'Terms of reference',
  section: 'Report sections',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind.replace(/_/g, ' ');
}

export interface HitGroup {
  kind: string;
  label: string;
  /** The group's hits, each with its index in the flattened list (for arrow keys). */
  hits: { hit: SearchHit; index: number }[];
}

/** Groups hits by kind, groups ordered by their best hit, hits kept in rank order. */
export function groupHits(hits: SearchHit[]): HitGroup[] {
  const groups: HitGroup[] = [];
  const byKind = new Map<string, HitGroup>();
  for (const hit of hits) {
    let group = byKind.get(hit.kind);
    if (!group) {
      group = { kind: hit.kind, label: kindLabel(hit.kind), hits: [] };
      byKind.set(hit.kind, group);
      groups.push(group);
    }
    group.hits.push({ hit, index: -1 });
  }
  let index = 0;
  for (const group of groups) for (const entry of group.hits) entry.index = index++;
  return groups;
}

/** The hits in the order the groups show them (arrow keys walk this order). */
export function flatten(groups: HitGroup[]): SearchHit[] {
  return groups.flatMap((g) => g.hits.map((h) => h.hit));
}

/** Where choosing a hit leads. */
export function targetOf(hit: SearchHit): NavigationTarget {
  const loc = hit.location;
  return {
    panel: panelForKind(hit.kind),
    kind: hit.kind,
    id: hit.object_id,
    sourceId: hit.kind === 'source' ? hit.object_id : (loc.source_id ?? null),
    paragraphId: hit.kind === 'paragraph' ? hit.object_id : (loc.paragraph_id ?? null),
    excerptId: hit.kind === 'excerpt' ? hit.object_id : null,
  };
}
