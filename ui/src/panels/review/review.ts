//! The Review panel's logic without the DOM: drafts newest first, dates and times as people
//! read them, where a selected quote stands in a section's text (and the anchor to make for
//! it), which words of a rendered section a located comment marks, approvals of a section,
//! and the sentences that report a pack.

import type {
  AnchorPlace,
  Approval,
  Block,
  ChangeStatus,
  Comment,
  DraftInfo,
  DraftRef,
  Inline,
  PackImportReport,
  PackWritten,
  RenderedSection,
  TextAnchor,
} from '../../lib/types';
import { count } from '../../lib/format';

/** How much text before and after a quote an anchor keeps (the core's CONTEXT_CHARS). */
export const CONTEXT_CHARS = 32;

/** Drafts, newest first. */
export function newestFirst(list: DraftInfo[]): DraftInfo[] {
  return [...list].sort((a, b) => b.number - a.number);
}

/** "2026-12-04T16:41:53.000Z" → "4 Dec 2026, 16:41" (local time); other text as given. */
export function formatWhen(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const date = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return `${date}, ${time}`;
}

/** The role as a person reads it. */
export function roleLabel(role: string): string {
  switch (role) {
    case 'author':
      return 'overview author';
    case 'chair':
      return 'panel chair';
    default:
      return role;
  }
}

/** A side of a comparison as the core names it. */
export function refOf(key: string): DraftRef {
  return key === 'current' ? { kind: 'current' } : { kind: 'draft', draft: key };
}

// ---------------------------------------------------------------------------------------------
// Quotes and anchors

/**
 * Every code-unit index where `needle` starts in `text`, overlapping ones included, as the
 * core counts places ("aa" is at 0 and 1 in "aaa").
 */
export function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  if (!needle) return found;
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at < 0) return found;
    found.push(at);
    from = at + 1;
  }
}

/** The code-unit index of code point `n` of `text` (the core counts in code points). */
export function unitIndex(text: string, n: number): number {
  return Array.from(text).slice(0, n).join('').length;
}

/** The code-point index of code-unit index `i` of `text`. */
export function pointIndex(text: string, i: number): number {
  return Array.from(text.slice(0, i)).length;
}

/**
 * The anchor for the span `start..end` (code-unit indices) of `text`: the exact words, up to
 * 32 characters either side, and a hint at its start in characters, as the core's
 * `anchor_span` makes it.
 */
export function anchorSpan(text: string, start: number, end: number): TextAnchor {
  const chars = Array.from(text);
  const s = pointIndex(text, start);
  const e = pointIndex(text, end);
  return {
    exact: chars.slice(s, e).join(''),
    prefix: chars.slice(Math.max(0, s - CONTEXT_CHARS), s).join(''),
    suffix: chars.slice(e, e + CONTEXT_CHARS).join(''),
    hint: s,
  };
}

/** How to anchor a comment on a quote of a section's current text. */
export type CommentPlan =
  /** The words are in the text once: the core anchors them (`comment_on_quote`). */
  | { kind: 'quote'; quote: string }
  /** The words are there several times: this anchor names the place meant. */
  | { kind: 'anchor'; anchor: TextAnchor }
  /** The words are not in the current text as written (formatting or citations inside). */
  | { kind: 'missing' };

/**
 * How to anchor a comment on `quote`, selected as its `nth` (0-based) appearance in the read
 * view, in a section whose current text is `body`.
 */
export function planComment(body: string, quote: string, nth: number): CommentPlan {
  const places = occurrences(body, quote);
  if (places.length === 0) return { kind: 'missing' };
  if (places.length === 1) return { kind: 'quote', quote };
  const at = places[Math.min(Math.max(nth, 0), places.length - 1)];
  return { kind: 'anchor', anchor: anchorSpan(body, at, at + quote.length) };
}

// ---------------------------------------------------------------------------------------------
// Marking located comments in a rendered section

/** A located comment's words: the `nth` place its exact words stand in the section. */
export interface Located {
  id: string;
  exact: string;
  nth: number;
}

/** The located comments of a section's threads, given the section's current text. */
export function locatedIn(
  body: string,
  positions: { comment: Comment; place: AnchorPlace | null }[],
): Located[] {
  const out: Located[] = [];
  for (const { comment, place } of positions) {
    if (!comment.anchor || !place || place.state !== 'located' || comment.resolved) continue;
    const start = unitIndex(body, place.start);
    const nth = occurrences(body, comment.anchor.exact).filter((i) => i < start).length;
    out.push({ id: comment.id, exact: comment.anchor.exact, nth });
  }
  return out;
}

/** A run of a text inline: plain, or marked by the comments whose words it is in. */
export interface Piece {
  text: string;
  comments: string[];
}

/** The text inlines of a section, in reading order. */
function textInlines(blocks: Block[], out: Extract<Inline, { type: 'text' }>[] = []) {
  const inlines = (list: Inline[]) => {
    for (const i of list) if (i.type === 'text') out.push(i);
  };
  for (const b of blocks) {
    switch (b.type) {
      case 'heading':
      case 'paragraph':
        inlines(b.content);
        break;
      case 'list':
        for (const item of b.items) textInlines(item, out);
        break;
      case 'quote':
        textInlines(b.blocks, out);
        break;
      case 'table':
        for (const cell of b.header) inlines(cell);
        for (const row of b.rows) for (const cell of row) inlines(cell);
        break;
      case 'numbered':
        for (const item of b.items) {
          inlines(item.content);
          inlines(item.detail);
        }
        break;
      default:
        break;
    }
  }
  return out;
}

/**
 * Splits the section's text inlines into pieces marked by the located comments: each comment
 * marks the `nth` place its words stand within one run of text (words across a change of
 * formatting are not marked; the thread still lists them). Inlines with no marks are left out.
 */
export function markSection(section: RenderedSection, located: Located[]): Map<Inline, Piece[]> {
  const runs = textInlines(section.blocks);
  const marks = new Map<Inline, { start: number; end: number; id: string }[]>();
  for (const l of located) {
    let seen = 0;
    for (const run of runs) {
      const places = occurrences(run.text, l.exact);
      if (seen + places.length > l.nth) {
        const at = places[l.nth - seen];
        const list = marks.get(run) ?? [];
        list.push({ start: at, end: at + l.exact.length, id: l.id });
        marks.set(run, list);
        break;
      }
      seen += places.length;
    }
  }
  const out = new Map<Inline, Piece[]>();
  for (const [inline, list] of marks) {
    const text = (inline as { text: string }).text;
    const cuts = new Set<number>([0, text.length]);
    for (const m of list) {
      cuts.add(m.start);
      cuts.add(m.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const pieces: Piece[] = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const [from, to] = [points[i], points[i + 1]];
      const ids = list.filter((m) => m.start <= from && to <= m.end).map((m) => m.id);
      pieces.push({ text: text.slice(from, to), comments: ids });
    }
    out.set(inline, pieces);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Approvals, changes, packs

/** The verdicts on a section in one draft, newest first. */
export function approvalsOf(list: Approval[], sectionId: string, draftId: string): Approval[] {
  return list
    .filter((a) => a.section_id === sectionId && a.draft_id === draftId)
    .sort((a, b) => b.at.localeCompare(a.at));
}

export const APPROVAL_LABELS: Record<Approval['state'], string> = {
  approved: 'Approved',
  changes_requested: 'Changes requested',
};

export const STATUS_LABELS: Record<ChangeStatus, string> = {
  added: 'Added',
  removed: 'Removed',
  changed: 'Changed',
  renumbered: 'Renumbered',
  unchanged: 'Unchanged',
};

/** The people who wrote or replied in these threads, sorted. */
export function peopleIn(threads: Comment[]): string[] {
  const names = new Set<string>();
  for (const t of threads) {
    names.add(t.author);
    for (const r of t.replies) names.add(r.author);
  }
  return [...names].sort((a, b) => a.localeCompare(b));
}

/** "Wrote chair-pack.json: 3 comments and 2 approvals." */
export function describeWritten(written: PackWritten, what: string): string {
  const name = written.path.split(/[\\/]/).pop() || written.path;
  return `${what} ${name}: ${count(written.comments, 'comment')} and ${count(written.approvals, 'approval')}.`;
}

/** The import report's counts in one sentence. */
export function describeImport(r: PackImportReport): string {
  const parts = [
    `${r.merged} new`,
    `${r.updated} updated`,
    `${r.unchanged} unchanged`,
    `${r.reanchored} re-anchored`,
    `${r.orphaned.length} orphaned`,
  ];
  const who = r.made_by ? ` from ${r.made_by}` : '';
  const copy =
    r.records_replaced > 0
      ? ` The review's content was brought up to date with the copy (${count(r.records_replaced, 'record')}); comments made here were kept.`
      : '';
  return `Imported the pack${who}: ${parts.join(', ')}.${copy}`;
}
