//! The timeline's geometry, as a pure function of the entries: one swim-lane per agency (in the
//! review's agency order, "No agency" last), time running left to right, the review period
//! shaded and the context period shaded lighter, and one mark per event.
//!
//! Marks that would land on the same pixel of the same lane are merged into one (keeping the
//! strongest significance, and the missed-opportunity flag if any has it), so 20,000 events
//! draw as at most a few thousand SVG shapes and the picture stays readable.

import type { Agency, ChronologyEntry, DatePrecision, Details, Significance } from '../../lib/types';
import { NO_AGENCY, SIGNIFICANCE_LABEL, SIGNIFICANCE_RANK, agencyLabel, displayDate } from './table';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date (YYYY-MM-DD). */
export function dayNumber(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Math.round(Date.UTC(y, (m || 1) - 1, d || 1) / DAY_MS);
}

/** The ISO date of a day number. */
export function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The days an entry may cover, as the core works it out: its whole month or year when the
 * date is that coarse (an approximate date counts as its year), stretched to its end date.
 */
export function entrySpan(
  date: string,
  precision: DatePrecision,
  endDate: string | null,
): [number, number] {
  const [y, m] = date.split('-').map(Number);
  let start: number;
  let end: number;
  switch (precision) {
    case 'day':
      start = end = dayNumber(date);
      break;
    case 'month':
      start = Math.round(Date.UTC(y, m - 1, 1) / DAY_MS);
      end = Math.round(Date.UTC(y, m, 1) / DAY_MS) - 1;
      break;
    case 'year':
    case 'approximate':
      start = Math.round(Date.UTC(y, 0, 1) / DAY_MS);
      end = Math.round(Date.UTC(y + 1, 0, 1) / DAY_MS) - 1;
      break;
  }
  if (endDate) end = Math.max(end, dayNumber(endDate));
  return [start, end];
}

export type Periods = Pick<
  Details,
  'review_period_start' | 'review_period_end' | 'context_period_start' | 'context_period_end'
>;

export interface TimelineOptions {
  /** The whole drawing's width in pixels. */
  width: number;
  /** Width of the lane names on the left. */
  labelWidth?: number;
  /** Height of one lane. */
  laneHeight?: number;
  /** Height of the time axis at the top. */
  axisHeight?: number;
  /** First day to show (YYYY-MM-DD), instead of the earliest event or period start. */
  from?: string | null;
  /** Last day to show, instead of the latest event or period end. */
  to?: string | null;
}

export interface Lane {
  /** The agency id, or `NO_AGENCY`. */
  id: string;
  label: string;
  /** Top of the lane. */
  y: number;
  height: number;
  /** Events in the lane. */
  count: number;
}

export type MarkShape = 'dot' | 'square' | 'diamond';

export interface Mark {
  /** The entry a click opens (the most significant of those merged). */
  entryId: string;
  /** Every entry merged into this mark, in date order. */
  entryIds: string[];
  laneId: string;
  /** Centre of the mark. */
  x: number;
  y: number;
  /** End of the event's span, when it covers more than a day (else equal to `x`). */
  x2: number;
  significance: Significance;
  missed: boolean;
  /** Routine dot, significant square, key practice episode diamond. */
  shape: MarkShape;
  /** What a screen reader says for it. */
  label: string;
}

export interface Band {
  kind: 'review' | 'context';
  x1: number;
  x2: number;
  label: string;
}

export interface Tick {
  x: number;
  label: string;
}

export interface TimelineLayout {
  width: number;
  height: number;
  /** Left edge of the time area (right of the lane names). */
  plotLeft: number;
  plotRight: number;
  axisHeight: number;
  lanes: Lane[];
  /** In drawing order: routine first, missed opportunities and key episodes on top. */
  marks: Mark[];
  bands: Band[];
  ticks: Tick[];
  /** First and last day shown, or `null` when there is nothing to draw. */
  domain: { start: string; end: string } | null;
}

const SHAPE: Record<Significance, MarkShape> = {
  routine: 'dot',
  significant: 'square',
  key_practice_episode: 'diamond',
};

const MONTH_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** How important a mark is for drawing order and merging. */
function weight(significance: Significance, missed: boolean): number {
  return SIGNIFICANCE_RANK[significance] * 2 + (missed ? 1 : 0);
}

/** Tick positions on whole months, at a step that keeps labels about 80 px apart. */
function makeTicks(start: number, end: number, x: (day: number) => number, plotWidth: number): Tick[] {
  const first = new Date(start * DAY_MS);
  const months = Math.max(1, (end - start) / 30.44);
  const room = Math.max(1, Math.floor(plotWidth / 80));
  const step = [1, 2, 3, 6, 12, 24, 60, 120].find((s) => months / s <= room) ?? 240;
  let year = first.getUTCFullYear();
  let month = first.getUTCMonth();
  // Start at the first month boundary on the step grid at or after the domain start.
  month = Math.ceil((year * 12 + month) / step) * step;
  year = Math.floor(month / 12);
  month %= 12;
  const ticks: Tick[] = [];
  for (;;) {
    const day = Math.round(Date.UTC(year, month, 1) / DAY_MS);
    if (day > end) break;
    if (day >= start) {
      ticks.push({
        x: x(day),
        label: step >= 12 ? String(year) : `${MONTH_SHORT[month]} ${year}`,
      });
    }
    month += step;
    year += Math.floor(month / 12);
    month %= 12;
  }
  return ticks;
}

/** Lays out the timeline for `entries` (already filtered as the user wants). */
export function layoutTimeline(
  entries: readonly ChronologyEntry[],
  agencies: readonly Agency[],
  periods: Periods | null,
  options: TimelineOptions,
): TimelineLayout {
  const labelWidth = options.labelWidth ?? 160;
  const laneHeight = options.laneHeight ?? 36;
  const axisHeight = options.axisHeight ?? 28;
  const width = Math.max(options.width, labelWidth + 100);
  const plotLeft = labelWidth + 8;
  const plotRight = width - 12;
  const plotWidth = plotRight - plotLeft;

  // Lanes: agencies with events, in agency order; then events with no agency, or with an
  // agency the list does not know.
  const known = new Map(agencies.map((a) => [a.id, a]));
  const counts = new Map<string, number>();
  const laneOf = (e: ChronologyEntry) =>
    e.agency_id !== null && known.has(e.agency_id) ? e.agency_id : NO_AGENCY;
  for (const e of entries) counts.set(laneOf(e), (counts.get(laneOf(e)) ?? 0) + 1);
  const laneIds = agencies.map((a) => a.id).filter((id) => counts.has(id));
  if (counts.has(NO_AGENCY)) laneIds.push(NO_AGENCY);
  const lanes: Lane[] = laneIds.map((id, i) => ({
    id,
    label: agencyLabel(known.get(id)),
    y: axisHeight + i * laneHeight,
    height: laneHeight,
    count: counts.get(id) ?? 0,
  }));
  const laneIndex = new Map(lanes.map((l, i) => [l.id, i]));
  const height = axisHeight + Math.max(1, lanes.length) * laneHeight + 4;

  // The time domain covers every event and both periods.
  const spans = entries.map((e) => entrySpan(e.date, e.precision, e.end_date));
  const bounds: number[] = [];
  for (const [s, t] of spans) bounds.push(s, t);
  const periodDays = (a: string | null, b: string | null) =>
    [a, b].filter((d): d is string => !!d).map(dayNumber);
  bounds.push(...periodDays(periods?.review_period_start ?? null, periods?.review_period_end ?? null));
  bounds.push(...periodDays(periods?.context_period_start ?? null, periods?.context_period_end ?? null));
  if (bounds.length === 0) {
    return { width, height, plotLeft, plotRight, axisHeight, lanes, marks: [], bands: [], ticks: [], domain: null };
  }
  let lo = options.from ? dayNumber(options.from) : Math.min(...bounds);
  let hi = options.to ? dayNumber(options.to) : Math.max(...bounds);
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi - lo < 30) {
    lo -= 15;
    hi += 15;
  }
  const pad = Math.round((hi - lo) * 0.02);
  lo -= pad;
  hi += pad;
  const x = (day: number) => plotLeft + ((day - lo) / (hi - lo)) * plotWidth;

  // Period bands; an open end reaches the edge of the drawing, as the core reads it.
  const bands: Band[] = [];
  const band = (kind: Band['kind'], from: string | null, to: string | null, label: string) => {
    if (!from && !to) return;
    const x1 = from ? x(dayNumber(from)) : plotLeft;
    const x2 = to ? x(dayNumber(to) + 1) : plotRight;
    bands.push({ kind, x1: Math.max(plotLeft, x1), x2: Math.min(plotRight, x2), label });
  };
  band('context', periods?.context_period_start ?? null, periods?.context_period_end ?? null, 'Context period');
  band('review', periods?.review_period_start ?? null, periods?.review_period_end ?? null, 'Review period');

  // Marks, merged per lane and pixel.
  const merged = new Map<string, Mark & { weight: number }>();
  const order = entries
    .map((e, i) => ({ e, span: spans[i] }))
    .sort((a, b) => a.span[0] - b.span[0] || (a.e.date < b.e.date ? -1 : a.e.date > b.e.date ? 1 : a.e.seq - b.e.seq));
  for (const { e, span } of order) {
    // An event reaching outside a chosen range is drawn from the range's edge.
    if (span[1] < lo || span[0] > hi) continue;
    const lane = lanes[laneIndex.get(laneOf(e)) ?? 0];
    const mx = x(Math.max(span[0], lo));
    const mx2 = span[1] > span[0] ? x(Math.min(span[1] + 1, hi)) : mx;
    const key = `${lane.id}\u0000${Math.round(mx)}`;
    const w = weight(e.significance, e.missed_opportunity);
    const found = merged.get(key);
    if (found) {
      found.entryIds.push(e.id);
      found.x2 = Math.max(found.x2, mx2);
      found.missed ||= e.missed_opportunity;
      if (SIGNIFICANCE_RANK[e.significance] > SIGNIFICANCE_RANK[found.significance]) {
        found.significance = e.significance;
        found.shape = SHAPE[e.significance];
      }
      if (w > found.weight) {
        found.weight = w;
        found.entryId = e.id;
      }
      continue;
    }
    merged.set(key, {
      entryId: e.id,
      entryIds: [e.id],
      laneId: lane.id,
      x: mx,
      y: lane.y + lane.height / 2,
      x2: mx2,
      significance: e.significance,
      missed: e.missed_opportunity,
      shape: SHAPE[e.significance],
      label: '',
      weight: w,
    });
  }
  const byId = new Map(entries.map((e) => [e.id, e]));
  const marks: Mark[] = [...merged.values()]
    .map(({ weight: w, ...m }) => {
      const lead = byId.get(m.entryId)!;
      const lane = lanes[laneIndex.get(m.laneId) ?? 0];
      const parts = [lane.label, displayDate(lead), SIGNIFICANCE_LABEL[m.significance]];
      if (m.missed) parts.push('missed opportunity');
      parts.push(lead.event.length > 120 ? `${lead.event.slice(0, 117)}…` : lead.event);
      // A merged mark shows its count: the name starts with it, as the drawing does.
      if (m.entryIds.length > 1) parts.unshift(`${m.entryIds.length} events`);
      return { mark: { ...m, label: parts.join(', ') }, w };
    })
    .sort((a, b) => a.w - b.w || a.mark.x - b.mark.x)
    .map((m) => m.mark);

  return {
    width,
    height,
    plotLeft,
    plotRight,
    axisHeight,
    lanes,
    marks,
    bands,
    ticks: makeTicks(lo, hi, x, plotWidth),
    domain: { start: isoOfDay(lo), end: isoOfDay(hi) },
  };
}

export type Direction = 'left' | 'right' | 'up' | 'down' | 'home' | 'end';

/**
 * The mark the arrow keys move to from `current` (an index into `marks`): left and right move
 * along the lane in time, up and down to the nearest mark in time on the lane above or below,
 * Home and End to the first and last mark of the lane. Returns `current` when there is
 * nowhere to go.
 */
export function neighbour(layout: TimelineLayout, current: number, direction: Direction): number {
  const marks = layout.marks;
  const here = marks[current];
  if (!here) return marks.length > 0 ? 0 : -1;
  const inLane = (laneId: string) =>
    marks
      .map((m, i) => ({ m, i }))
      .filter(({ m }) => m.laneId === laneId)
      .sort((a, b) => a.m.x - b.m.x || a.i - b.i);
  const lane = inLane(here.laneId);
  const pos = lane.findIndex(({ i }) => i === current);
  switch (direction) {
    case 'left':
      return pos > 0 ? lane[pos - 1].i : current;
    case 'right':
      return pos < lane.length - 1 ? lane[pos + 1].i : current;
    case 'home':
      return lane[0].i;
    case 'end':
      return lane[lane.length - 1].i;
    case 'up':
    case 'down': {
      const laneIds = layout.lanes.map((l) => l.id);
      let li = laneIds.indexOf(here.laneId);
      for (;;) {
        li += direction === 'up' ? -1 : 1;
        if (li < 0 || li >= laneIds.length) return current;
        const other = inLane(laneIds[li]);
        if (other.length === 0) continue;
        let best = other[0];
        for (const o of other) {
          if (Math.abs(o.m.x - here.x) < Math.abs(best.m.x - here.x)) best = o;
        }
        return best.i;
      }
    }
  }
}
