//! The publication view's plain logic, apart from the component so it can be tested alone:
//! splitting a run of text at its pseudonym marks, the tooltip and summary wording, and the
//! footnote numbers a reader sees.
//!
//! The core gives each mark as a byte range of the run's UTF-8 text (see `SubstitutionMark`),
//! so the text is split on its bytes, never on JavaScript string indices, which differ after
//! an emoji or an accented letter.

import type {
  Block,
  CitedItem,
  Inline,
  Person,
  RenderedDocument,
  RenderedNote,
  SubstitutionCount,
  SubstitutionMark,
} from '../../lib/types';

/** A piece of a run: plain text, or a pseudonym with its mark. */
export interface Piece {
  text: string;
  mark: SubstitutionMark | null;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Splits `text` at its marks, in order. Marks outside the text or overlapping are skipped. */
export function pieces(text: string, marks: readonly SubstitutionMark[] | undefined): Piece[] {
  if (!marks || marks.length === 0) return text ? [{ text, mark: null }] : [];
  const bytes = encoder.encode(text);
  const out: Piece[] = [];
  let at = 0;
  for (const mark of [...marks].sort((a, b) => a.start - b.start)) {
    if (mark.start < at || mark.end > bytes.length || mark.end <= mark.start) continue;
    if (mark.start > at) out.push({ text: decoder.decode(bytes.subarray(at, mark.start)), mark: null });
    out.push({ text: decoder.decode(bytes.subarray(mark.start, mark.end)), mark });
    at = mark.end;
  }
  if (at < bytes.length) out.push({ text: decoder.decode(bytes.subarray(at)), mark: null });
  return out;
}

/** What a mark's tooltip says: "Laura → Child S (register: person)". */
export function tooltipText(sub: SubstitutionCount | undefined, person: Person | undefined): string {
  if (!sub) return 'Pseudonym';
  const where = person ? `register: ${person.category}` : 'register';
  return `${sub.original} → ${sub.replacement} (${where})`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Names in the register that are not safe to name and have no pseudonym yet. */
export function namesWithoutPseudonym(people: readonly Person[]): Person[] {
  return people.filter((p) => !p.safe_to_name && !p.pseudonym.trim());
}

/** The line above the view: "12 substitutions, 3 names not yet given a pseudonym". */
export function summaryText(doc: RenderedDocument, people: readonly Person[]): string {
  const total = (doc.substitutions ?? []).reduce((n, s) => n + s.count, 0);
  const parts = [plural(total, 'substitution', 'substitutions')];
  const unnamed = namesWithoutPseudonym(people).length;
  if (unnamed > 0) parts.push(`${plural(unnamed, 'name', 'names')} not yet given a pseudonym`);
  const shared = (doc.unsubstituted ?? []).filter((u) => u.entry_ids.length > 1).length;
  if (shared > 0) parts.push(`${plural(shared, 'shared name', 'shared names')} left as written`);
  return parts.join(', ');
}

/** What the view shows instead of marks when the register cannot substitute anything. */
export function emptyRegisterText(people: readonly Person[]): string | null {
  if (people.length === 0) return 'No names are registered yet — add them in Names & pseudonyms';
  if (!people.some((p) => p.pseudonym.trim())) {
    return 'No name has a pseudonym yet — give them pseudonyms in Names & pseudonyms';
  }
  return null;
}

/** One footnote at the foot of the view, as the exports number them. */
export type Footnote =
  | { number: number; kind: 'citation'; item: CitedItem | null }
  | { number: number; kind: 'note'; note: RenderedNote | null };

/** The reader's numbers: what each citation or note mark shows, and the footnotes. */
export interface Numbering {
  /** The label of a citation or note inline ("3", or "[3]" for bracketed citations). */
  labels: WeakMap<Inline, string>;
  footnotes: Footnote[];
}

/**
 * Numbers the marks in reading order as the exports do: with footnote-style citations every
 * citation and note gets the next footnote number; with bracketed citations a citation shows
 * its own number in brackets and only the author's notes are footnotes. Keys are the document's
 * own inline objects, so keep the document unproxied (`$state.raw`).
 */
export function numberMarks(doc: RenderedDocument): Numbering {
  const labels = new WeakMap<Inline, string>();
  const footnotes: Footnote[] = [];
  const brackets = doc.citation_style === 'brackets';
  const inlines = (list: readonly Inline[]) => {
    for (const inline of list) {
      if (inline.type === 'citation') {
        if (brackets) {
          labels.set(inline, `[${inline.number}]`);
        } else {
          const number = footnotes.length + 1;
          const item = doc.citations.find((c) => c.number === inline.number) ?? null;
          footnotes.push({ number, kind: 'citation', item });
          labels.set(inline, String(number));
        }
      } else if (inline.type === 'note') {
        const number = footnotes.length + 1;
        const note = doc.notes.find((n) => n.number === inline.number) ?? null;
        footnotes.push({ number, kind: 'note', note });
        labels.set(inline, String(number));
      }
    }
  };
  const blocks = (list: readonly Block[]) => {
    for (const block of list) {
      switch (block.type) {
        case 'heading':
        case 'paragraph':
          inlines(block.content);
          break;
        case 'list':
          block.items.forEach(blocks);
          break;
        case 'quote':
          blocks(block.blocks);
          break;
        case 'table':
          block.header.forEach(inlines);
          block.rows.forEach((row) => row.forEach(inlines));
          break;
        case 'numbered':
          for (const item of block.items) {
            inlines(item.content);
            inlines(item.detail);
          }
          break;
        case 'rule':
          break;
      }
    }
  };
  for (const section of doc.sections) blocks(section.blocks);
  return { labels, footnotes };
}

/** The text of a citation's footnote or reference entry, as the exports write it. */
export function citationNote(item: CitedItem | null): string {
  if (!item) return 'Missing record';
  return item.detail ? `${item.label}: ${item.detail}` : item.label;
}
