//! Character offsets inside a paragraph, as the core counts them.
//!
//! The core slices paragraph text by Unicode scalar values (Rust `chars()`), while the DOM
//! counts UTF-16 code units: "é" is one of each, but "😀" is one character and two code units.
//! A selection's DOM offsets are therefore turned into code units within the paragraph's text
//! element first, and then into characters here. Highlights go the other way: excerpt ranges in
//! characters become slices of the string.

/** Whether the code unit at `i` is the second half of a surrogate pair. */
function isLowSurrogateAfterHigh(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return false;
  const hi = text.charCodeAt(i - 1);
  const lo = text.charCodeAt(i);
  return hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff;
}

/** How many characters (Unicode scalar values) `text` holds. */
export function charLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    if (!isLowSurrogateAfterHigh(text, i)) n++;
  }
  return n;
}

/**
 * The character offset of UTF-16 offset `units` in `text`. An offset that falls between the
 * two halves of an emoji is moved to the character's start (`round: 'down'`, for a selection's
 * start) or past its end (`round: 'up'`, for a selection's end), so the whole character is
 * either in or out.
 */
export function unitsToChars(text: string, units: number, round: 'down' | 'up' = 'down'): number {
  let u = Math.max(0, Math.min(units, text.length));
  if (isLowSurrogateAfterHigh(text, u)) u += round === 'up' ? 1 : -1;
  return charLength(text.slice(0, u));
}

/** The UTF-16 offset of character offset `chars` in `text` (clamped to the text). */
export function charsToUnits(text: string, chars: number): number {
  let seen = 0;
  let i = 0;
  while (i < text.length && seen < chars) {
    const code = text.charCodeAt(i);
    i += code >= 0xd800 && code <= 0xdbff && isLowSurrogateAfterHigh(text, i + 1) ? 2 : 1;
    seen++;
  }
  return i;
}

/** Characters `start..end` of `text`, like the core's `char_slice`. */
export function sliceChars(text: string, start: number, end: number): string {
  return text.slice(charsToUnits(text, start), charsToUnits(text, end));
}

/** A character range within one paragraph. */
export interface CharRange {
  start: number;
  end: number;
}

/**
 * Narrows a character range so it neither starts nor ends with white space (a double-click
 * or drag often takes a trailing space). `null` when nothing but white space is left.
 */
export function trimRange(text: string, range: CharRange): CharRange | null {
  const chars = Array.from(text);
  let { start, end } = range;
  start = Math.max(0, start);
  end = Math.min(chars.length, end);
  while (start < end && /\s/u.test(chars[start])) start++;
  while (end > start && /\s/u.test(chars[end - 1])) end--;
  return start < end ? { start, end } : null;
}

/**
 * The UTF-16 offset, within `container`'s text content, of a DOM boundary point that lies
 * inside it (the same number `Range.toString().length` gives for the text before it).
 */
export function unitsBefore(container: Node, node: Node, offset: number): number {
  const doc = container.ownerDocument ?? document;
  const range = doc.createRange();
  range.setStart(container, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

/**
 * The UTF-16 span of `el`'s text that `range` covers: boundaries inside `el` are measured, a
 * range starting before `el` covers it from its start, one ending after it covers it to its end.
 * Empty (`start >= end`) when the range covers none of its text.
 */
export function unitsCovered(el: Node, range: Range): { start: number; end: number } {
  const length = (el.textContent ?? '').length;
  if (!range.intersectsNode(el)) return { start: 0, end: 0 };
  const start = el.contains(range.startContainer)
    ? unitsBefore(el, range.startContainer, range.startOffset)
    : 0;
  const end = el.contains(range.endContainer)
    ? unitsBefore(el, range.endContainer, range.endOffset)
    : length;
  return { start, end };
}

/**
 * The character range a DOM range selects inside `container`, whose text content is exactly
 * `text`; trimmed of white space at either end. A range that runs on past the container's text
 * (a triple-click ends at the start of the next paragraph) is cut at the text's end. `null`
 * when the range covers none of the text, or nothing but white space.
 */
export function selectionRange(container: Node, text: string, range: Range): CharRange | null {
  const units = unitsCovered(container, range);
  if (units.end <= units.start) return null;
  const start = unitsToChars(text, units.start, 'down');
  const end = unitsToChars(text, units.end, 'up');
  return trimRange(text, { start, end });
}

/**
 * Which of `texts` (paragraph text elements) a selection really quotes: the one whose text it
 * covers at least one character of, ignoring ones it only touches at an edge (a triple-click's
 * end at offset 0 of the next paragraph). `'many'` when it covers text of more than one.
 */
export function selectedText<T extends Node>(texts: Iterable<T>, range: Range): T | 'many' | null {
  let found: T | null = null;
  for (const el of texts) {
    const units = unitsCovered(el, range);
    const covered = (el.textContent ?? '').slice(units.start, units.end);
    if (units.end <= units.start || covered.trim() === '') continue;
    if (found) return 'many';
    found = el;
  }
  return found;
}

/** One run of a paragraph's text and the excerpts that cover it. */
export interface Segment {
  text: string;
  /** Character offset where the run starts. */
  start: number;
  /** Ids of the excerpts covering this run (empty for plain text). */
  excerptIds: string[];
}

/**
 * Cuts `text` into runs at every excerpt boundary, so overlapping excerpts each keep their
 * own highlight. Ranges outside the text are clipped; the runs join back into `text`.
 */
export function segments(
  text: string,
  excerpts: readonly { id: string; start: number; end: number }[],
): Segment[] {
  const chars = Array.from(text);
  const n = chars.length;
  const cuts = new Set<number>([0, n]);
  const spans = excerpts
    .map((x) => ({ id: x.id, start: Math.max(0, x.start), end: Math.min(n, x.end) }))
    .filter((x) => x.start < x.end);
  for (const x of spans) {
    cuts.add(x.start);
    cuts.add(x.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i], points[i + 1]];
    if (from === to) continue;
    const excerptIds = spans.filter((x) => x.start <= from && x.end >= to).map((x) => x.id);
    out.push({ text: chars.slice(from, to).join(''), start: from, excerptIds });
  }
  return out;
}
