//! A stand-in for the shell's `parse_date` in component tests: it reads the day-first forms the
//! tests type ("3/4/09", "03/04/2009", "2009-04-03", "3 April 2009", "April 2009", "2009",
//! "c. 2009") and refuses anything else the way the core does, with an `invalid` error. The
//! real reader is `threadline::model::chronology::parse_loose_date`, tested in Rust; this only
//! lets the UI be tested without the shell.

import type { ParsedDate } from '../lib/api';
import type { DatePrecision } from '../lib/types';

const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];

const pad = (n: number) => String(n).padStart(2, '0');

function year(text: string): number {
  const y = Number(text);
  return text.length === 2 ? (y < 50 ? 2000 + y : 1900 + y) : y;
}

function month(text: string): number {
  const i = MONTHS.findIndex((m) => m.startsWith(text.toLowerCase()) && text.length >= 3);
  return i + 1;
}

function make(typed: string, y: number, m: number, d: number, precision: DatePrecision): ParsedDate {
  const when = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || m > 12 || when.getUTCMonth() !== m - 1 || when.getUTCDate() !== d) {
    throw { code: 'invalid', message: `date: '${typed}' is not a real date` };
  }
  return { date: `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`, precision };
}

/** Reads `text` as the core would for the forms listed above. */
export function fakeParseDate(text: string): ParsedDate {
  const typed = text.trim();
  let rest = typed.toLowerCase();
  const approx = /^(c\.|circa|about)\s*/.exec(rest);
  if (approx) rest = rest.slice(approx[0].length);
  const read = (): ParsedDate => {
    let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(rest);
    if (m) return make(typed, year(m[3]), +m[2], +m[1], 'day');
    m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(rest);
    if (m) return make(typed, +m[1], +m[2], +m[3], 'day');
    m = /^(\d{1,2})[/.-](\d{4})$/.exec(rest);
    if (m) return make(typed, +m[2], +m[1], 1, 'month');
    m = /^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+) (\d{2}|\d{4})$/.exec(rest);
    if (m && month(m[2])) return make(typed, year(m[3]), month(m[2]), +m[1], 'day');
    m = /^([a-z]+) (\d{4})$/.exec(rest);
    if (m && month(m[1])) return make(typed, +m[2], month(m[1]), 1, 'month');
    m = /^(\d{4})$/.exec(rest);
    if (m) return make(typed, +m[1], 1, 1, 'year');
    throw {
      code: 'invalid',
      message: `date: '${typed}' is not a date Threadline can read; write it like 12/03/2021, 12 March 2021, March 2021, 2021 or c. 2019`,
    };
  };
  const parsed = read();
  return approx ? { ...parsed, precision: 'approximate' } : parsed;
}

/** The `parse_date` handler for `mockCommands` / `routeInvoke`. */
export const parseDateHandler = (args: Record<string, unknown>) => fakeParseDate(String(args.text));
