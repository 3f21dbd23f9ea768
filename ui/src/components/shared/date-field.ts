//! What DateField shows: a saved date as people in the UK write it, and the sentence shown
//! under the field when the core could not read what was typed.

import { describe, toAppError, type ParsedDate } from '../../lib/api';
import type { DatePrecision } from '../../lib/types';

/** How a less precise reading is named in the "needs a day" message. */
export const PRECISION_WORDS: Record<DatePrecision, string> = {
  day: 'a day',
  month: 'a month',
  year: 'a year',
  approximate: 'an approximate date',
};

/**
 * A saved YYYY-MM-DD date as the field shows it, day first: "2009-04-03" → "03/04/2009"; a
 * month "04/2009", a year "2009", an approximate date "c. 2009" (or "c. 04/2009", "c.
 * 03/04/2009" when it is known that far). Each reads back to the same date and precision.
 */
export function formatTypedDate(iso: string | null, precision: DatePrecision = 'day'): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  switch (precision) {
    case 'day':
      return `${d}/${mo}/${y}`;
    case 'month':
      return `${mo}/${y}`;
    case 'year':
      return y;
    case 'approximate':
      if (mo === '01' && d === '01') return `c. ${y}`;
      return d === '01' ? `c. ${mo}/${y}` : `c. ${d}/${mo}/${y}`;
  }
}

/**
 * The message under the field for a text the core refused: its own advice for an unreadable
 * or impossible date ("date: '31/02/2009' is not a real date: February 2009 has no day 31" →
 * "“31/02/2009” is not a real date: February 2009 has no day 31."), any other failure as a
 * sentence from `describe`.
 */
export function dateProblem(error: unknown, typed: string): string {
  const e = toAppError(error);
  if (e.code !== 'invalid') return describe(e);
  const detail = e.message.replace(/^date:\s*/, '').trim();
  if (!detail) return `“${typed}” is not a date Threadline can read. Write it like 03/04/2009.`;
  const text = detail
    .replace(/'([^']*)'/, '“$1”')
    .replace(/;\s*write it/, '. Write it');
  const first = text[0].toUpperCase() + text.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** What a DateField holds. */
export type Accept = 'day' | 'month' | 'any';

export const PLACEHOLDERS: Record<Accept, string> = {
  day: 'dd/mm/yyyy',
  month: 'mm/yyyy',
  any: 'dd/mm/yyyy, Month yyyy…',
};

/** The field's description for screen readers: how to write a date in it. */
export const HINTS: Record<Accept, string> = {
  day: 'Day first, for example 03/04/2009 or 3 April 2009.',
  month: 'A month, for example 04/2009 or April 2009.',
  any: 'Day first, for example 03/04/2009 or 3 April 2009; or a month, a year, or c. 2009 when that is all that is known.',
};

/**
 * Whether the core's reading of `typed` fits a field that holds `accept`: a day field needs a
 * day; a month field takes a month or a day (standing for its month, saved as the month's
 * first day); an `any` field takes every reading.
 */
export function acceptReading(
  parsed: ParsedDate,
  accept: Accept,
  typed: string,
): { ok: true; date: ParsedDate } | { ok: false; error: string } {
  if (accept === 'any') return { ok: true, date: parsed };
  if (accept === 'day') {
    if (parsed.precision === 'day') return { ok: true, date: parsed };
    return {
      ok: false,
      error: `“${typed}” gives only ${PRECISION_WORDS[parsed.precision]}: this needs a day, like 03/04/2009.`,
    };
  }
  if (parsed.precision === 'day' || parsed.precision === 'month') {
    return { ok: true, date: { date: `${parsed.date.slice(0, 8)}01`, precision: 'month' } };
  }
  return {
    ok: false,
    error: `“${typed}” gives only ${PRECISION_WORDS[parsed.precision]}: this needs a month, like 04/2009.`,
  };
}
