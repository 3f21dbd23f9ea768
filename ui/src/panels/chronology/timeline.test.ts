import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';

import { AGENCIES, ENTRIES, PERIODS, entry } from './fixtures';
import { NO_AGENCY } from './table';
import Timeline from './Timeline.svelte';
import { dayNumber, entrySpan, layoutTimeline, neighbour } from './timeline';

const OPTIONS = { width: 1000, labelWidth: 160, laneHeight: 40, axisHeight: 30 };

describe('timeline layout', () => {
  it('gives each agency with events a lane in agency order, with “No agency” last', () => {
    const layout = layoutTimeline(ENTRIES, AGENCIES, PERIODS, OPTIONS);
    expect(layout.lanes.map((l) => [l.id, l.label, l.count])).toEqual([
      ['police', 'Police', 2],
      ['school', 'Oakfield Primary School', 1],
      ['gp', 'GP', 1],
      [NO_AGENCY, 'No agency', 1],
    ]);
    expect(layout.lanes.map((l) => l.y)).toEqual([30, 70, 110, 150]);
    // Every mark sits in the middle of its agency's lane.
    for (const m of layout.marks) {
      const lane = layout.lanes.find((l) => l.id === m.laneId)!;
      expect(m.y).toBe(lane.y + lane.height / 2);
    }
    expect(layout.marks.find((m) => m.entryId === 'e3')!.laneId).toBe('school');
  });

  it('leaves out agencies with no events in view', () => {
    const layout = layoutTimeline(ENTRIES.filter((e) => e.agency_id === 'gp'), AGENCIES, null, OPTIONS);
    expect(layout.lanes.map((l) => l.id)).toEqual(['gp']);
  });

  it('places events left to right in time', () => {
    const layout = layoutTimeline(ENTRIES, AGENCIES, PERIODS, OPTIONS);
    const x = (id: string) => layout.marks.find((m) => m.entryIds.includes(id))!.x;
    expect(x('e1')).toBeLessThan(x('e4'));
    expect(x('e4')).toBeLessThan(x('e2'));
    expect(x('e2')).toBeCloseTo(x('e3'));
    expect(x('e3')).toBeLessThan(x('e5'));
    for (const m of layout.marks) {
      expect(m.x).toBeGreaterThanOrEqual(layout.plotLeft);
      expect(m.x2).toBeLessThanOrEqual(layout.plotRight);
    }
  });

  it('marks key practice episodes and missed opportunities distinctly', () => {
    const layout = layoutTimeline(ENTRIES, AGENCIES, PERIODS, OPTIONS);
    const mark = (id: string) => layout.marks.find((m) => m.entryId === id)!;
    expect(mark('e2')).toMatchObject({ shape: 'diamond', significance: 'key_practice_episode', missed: false });
    expect(mark('e3')).toMatchObject({ shape: 'square', missed: true });
    expect(mark('e1')).toMatchObject({ shape: 'dot', missed: false });
    expect(mark('e3').label).toMatch(/missed opportunity/);
    expect(mark('e2').label).toMatch(/Key practice episode/);
    // Key episodes and missed opportunities are drawn last, on top of routine events.
    const order = layout.marks.map((m) => m.entryId);
    expect(order.indexOf('e1')).toBeLessThan(order.indexOf('e2'));
    expect(order.indexOf('e4')).toBeLessThan(order.indexOf('e3'));
  });

  it('draws a month-precise event as a span over its month', () => {
    const layout = layoutTimeline(ENTRIES, AGENCIES, PERIODS, OPTIONS);
    const e5 = layout.marks.find((m) => m.entryId === 'e5')!;
    expect(e5.x2).toBeGreaterThan(e5.x);
    expect(entrySpan('2021-02-01', 'month', null)).toEqual([dayNumber('2021-02-01'), dayNumber('2021-02-28')]);
    expect(entrySpan('2019-05-09', 'approximate', null)).toEqual([dayNumber('2019-01-01'), dayNumber('2019-12-31')]);
  });

  it('shades the review period and, lighter, the context period', () => {
    const layout = layoutTimeline(ENTRIES, AGENCIES, PERIODS, OPTIONS);
    const review = layout.bands.find((b) => b.kind === 'review')!;
    const context = layout.bands.find((b) => b.kind === 'context')!;
    const e1 = layout.marks.find((m) => m.entryId === 'e1')!;
    const e2 = layout.marks.find((m) => m.entryId === 'e2')!;
    expect(context.x1).toBeLessThanOrEqual(e1.x);
    expect(context.x2).toBeGreaterThanOrEqual(e1.x);
    expect(review.x1).toBeLessThanOrEqual(e2.x);
    expect(review.x2).toBeGreaterThanOrEqual(e2.x);
    expect(context.x2).toBeLessThanOrEqual(review.x1 + 1);
    expect(layout.ticks.length).toBeGreaterThan(1);
  });

  it('merges events that fall on the same pixel of a lane, keeping the most significant', () => {
    const same = [
      entry({ id: 'a', date: '2020-05-01', agency_id: 'gp' }),
      entry({ id: 'b', date: '2020-05-01', seq: 1, agency_id: 'gp', significance: 'key_practice_episode' }),
      entry({ id: 'c', date: '2020-05-01', seq: 2, agency_id: 'gp', missed_opportunity: true, missed_rationale: 'r' }),
    ];
    const layout = layoutTimeline(same, AGENCIES, null, OPTIONS);
    expect(layout.marks).toHaveLength(1);
    expect(layout.marks[0]).toMatchObject({ entryIds: ['a', 'b', 'c'], entryId: 'b', shape: 'diamond', missed: true });
    expect(layout.marks[0].label).toMatch(/^3 events, GP, 01\/05\/2020, Key practice episode, missed opportunity/);
  });

  it('draws 20,000 events as a bounded number of marks', () => {
    const many = Array.from({ length: 20_000 }, (_, i) =>
      entry({
        id: `m${i}`,
        date: new Date(Date.UTC(2015, 0, 1 + (i % 2000))).toISOString().slice(0, 10),
        agency_id: AGENCIES[i % 3].id,
      }),
    );
    const layout = layoutTimeline(many, AGENCIES, PERIODS, OPTIONS);
    expect(layout.marks.length).toBeLessThanOrEqual(3 * (OPTIONS.width - OPTIONS.labelWidth));
    expect(layout.marks.reduce((n, m) => n + m.entryIds.length, 0)).toBe(20_000);
  });

  it('moves between marks with the arrow keys along and across lanes', () => {
    const layout = layoutTimeline(ENTRIES, AGENCIES, PERIODS, OPTIONS);
    const at = (id: string) => layout.marks.findIndex((m) => m.entryId === id);
    expect(neighbour(layout, at('e2'), 'right')).toBe(at('e5'));
    expect(neighbour(layout, at('e5'), 'left')).toBe(at('e2'));
    expect(neighbour(layout, at('e5'), 'right')).toBe(at('e5'));
    expect(neighbour(layout, at('e2'), 'down')).toBe(at('e3'));
    expect(neighbour(layout, at('e3'), 'up')).toBe(at('e2'));
    expect(neighbour(layout, at('e5'), 'home')).toBe(at('e2'));
  });

  it('zooms to a chosen date range, drawing a longer event from the range’s edge', () => {
    const layout = layoutTimeline(ENTRIES, AGENCIES, PERIODS, { ...OPTIONS, from: '2020-01-01', to: '2021-03-31' });
    expect(layout.marks.map((m) => m.entryIds).flat().sort()).toEqual(['e2', 'e3', 'e4', 'e5']);
    const e4 = layout.marks.find((m) => m.entryId === 'e4')!;
    const e5 = layout.marks.find((m) => m.entryId === 'e5')!;
    // The range fills the width: the first event of 2020 sits near the left edge.
    expect(e4.x - layout.plotLeft).toBeLessThan(0.05 * (layout.plotRight - layout.plotLeft));
    expect(e5.x).toBeLessThan(layout.plotRight);
    const review = layout.bands.find((b) => b.kind === 'review')!;
    expect(review.x2).toBeLessThanOrEqual(layout.plotRight);
  });

  it('has nothing to draw without entries or periods', () => {
    expect(layoutTimeline([], AGENCIES, null, OPTIONS).domain).toBeNull();
  });
});

describe('Timeline', () => {
  it('draws lanes and distinct marks, and opens an event on click or Enter', async () => {
    const onopen = vi.fn();
    const { container } = render(Timeline, { entries: ENTRIES, agencies: AGENCIES, periods: PERIODS, onopen });
    expect(container.querySelector('[data-band="review"]')).not.toBeNull();
    expect(container.querySelector('[data-band="context"]')).not.toBeNull();
    const key = container.querySelector('[data-entry="e2"]')!;
    expect(key.getAttribute('data-significance')).toBe('key_practice_episode');
    expect(key.querySelector('polygon')).not.toBeNull();
    const missed = container.querySelector('[data-entry="e3"]')!;
    expect(missed.querySelector('circle.ring')).not.toBeNull();
    expect(container.querySelector('[data-entry="e1"] circle.ring')).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: /Bruise noticed at school/ }));
    expect(onopen).toHaveBeenCalledWith('e3');
    await fireEvent.keyDown(key, { key: 'Enter' });
    expect(onopen).toHaveBeenLastCalledWith('e2');
    // One tab stop for the whole drawing.
    expect(container.querySelectorAll('[role="button"][tabindex="0"]')).toHaveLength(1);
  });
});
