//! A finding's evidence as chips: what each chip says and where it leads. An excerpt chip opens
//! the Sources panel at the quoted paragraph with the excerpt highlighted; a chronology chip
//! opens the Chronology panel at the entry.

import type { NavigationTarget } from '../../lib/review.svelte';
import type { EvidenceView, Relation } from '../../lib/types';

export const RELATION_LABEL: Record<Relation, string> = {
  supports: 'Supports',
  contradicts: 'Contradicts',
  context: 'Context',
};

/** The relation as the core sends it, read safely (it arrives as plain text). */
export function relationOf(view: Pick<EvidenceView, 'relation'>): Relation {
  return view.relation === 'contradicts' || view.relation === 'context' ? view.relation : 'supports';
}

/** Where activating the chip goes, or `null` for a link whose target is gone. */
export function chipTarget(view: EvidenceView): NavigationTarget | null {
  if (view.excerpt) {
    return {
      panel: 'sources',
      kind: 'excerpt',
      id: view.excerpt.id,
      sourceId: view.excerpt.source_id,
      paragraphId: view.excerpt.paragraph_id,
      excerptId: view.excerpt.id,
    };
  }
  if (view.chronology) {
    return { panel: 'chronology', kind: 'chronology_entry', id: view.chronology.id };
  }
  return null;
}

/** A quote cut to `max` characters at a word boundary, with an ellipsis. */
export function shortQuote(text: string, max = 90): string {
  const chars = Array.from(text.trim());
  if (chars.length <= max) return chars.join('');
  const cut = chars.slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/**
 * The chip's words: `kind` ("Quote" or "Event"), where the evidence is, a short quote or the
 * event, and `name`, everything a screen reader says (the relation first, where the chip
 * leads last), which contains the visible words in the order they show.
 */
export function chipText(view: EvidenceView): {
  kind: string;
  title: string;
  detail: string;
  relation: string;
  opens: string;
  name: string;
} {
  const relation = RELATION_LABEL[relationOf(view)];
  const parts = view.excerpt
    ? { kind: 'Quote', title: view.label, detail: `“${shortQuote(view.excerpt.quote)}”`, opens: 'Open in Sources' }
    : view.chronology
      ? { kind: 'Event', title: view.label, detail: shortQuote(view.chronology.event), opens: 'Open in Chronology' }
      : { kind: 'Missing', title: view.label || 'evidence no longer there', detail: '', opens: '' };
  const visible = [parts.kind, parts.title, parts.detail].filter(Boolean).join(' ');
  const tail = relationOf(view) === 'supports' ? '' : ` ${relation}`;
  const name = `${relation}: ${visible}${tail}${parts.opens ? `. ${parts.opens}` : ''}`;
  return { ...parts, relation, name };
}
