//! A recommendation's due date in the forms the core knows (`Due`): a day, a month,
//! "immediately", "as a matter of urgency", or none; and the small form that edits it (a kind
//! chosen from a list, plus a date or a month field when the kind needs one).

import type { Due } from '../../lib/types';
import { MONTH_NAMES } from '../../lib/format';

export type DueKind = Due['kind'];

/** The editor's state: every field kept, so switching kind and back loses nothing. */
export interface DueForm {
  kind: DueKind;
  /** YYYY-MM-DD, for `date`. */
  date: string;
  /** YYYY-MM, for `month`. */
  month: string;
}

export const DUE_KINDS: readonly { kind: DueKind; label: string }[] = [
  { kind: 'none', label: 'No due date' },
  { kind: 'date', label: 'By a date' },
  { kind: 'month', label: 'By the end of a month' },
  { kind: 'immediately', label: 'Immediately' },
  { kind: 'urgent', label: 'As a matter of urgency' },
];

/** The form showing `due`. */
export function dueToForm(due: Due): DueForm {
  switch (due.kind) {
    case 'date':
      return { kind: 'date', date: due.value, month: due.value.slice(0, 7) };
    case 'month': {
      const month = `${String(due.value.year).padStart(4, '0')}-${String(due.value.month).padStart(2, '0')}`;
      return { kind: 'month', date: '', month };
    }
    default:
      return { kind: due.kind, date: '', month: '' };
  }
}

/** The result of reading the form: the value to save, or why it cannot be saved yet. */
export type DueResult = { ok: true; due: Due } | { ok: false; error: string };

/** Whether `iso` (YYYY-MM-DD) names a real day. */
function realDay(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Reads the form into a `Due`, checking the date or month the kind needs. */
export function formToDue(form: DueForm): DueResult {
  switch (form.kind) {
    case 'none':
    case 'immediately':
    case 'urgent':
      return { ok: true, due: { kind: form.kind } };
    case 'date': {
      const date = form.date.trim();
      if (!date) return { ok: false, error: 'Choose the date it is due by.' };
      if (!realDay(date)) return { ok: false, error: `${date} is not a real date.` };
      return { ok: true, due: { kind: 'date', value: date } };
    }
    case 'month': {
      const m = /^(\d{4})-(\d{2})$/.exec(form.month.trim());
      if (!form.month.trim()) return { ok: false, error: 'Choose the month it is due by.' };
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) {
        return { ok: false, error: `${form.month} is not a month; write it as 2021-07.` };
      }
      return { ok: true, due: { kind: 'month', value: { year: Number(m[1]), month: Number(m[2]) } } };
    }
  }
}

/** `due` as the report writes it, like the core: "30 June 2021", "July 2021", "Immediately". */
export function formatDue(due: Due): string {
  switch (due.kind) {
    case 'none':
      return 'No due date';
    case 'date': {
      const [y, m, d] = due.value.split('-').map(Number);
      return `${d} ${MONTH_NAMES[m - 1]} ${y}`;
    }
    case 'month':
      return `${MONTH_NAMES[due.value.month - 1]} ${due.value.year}`;
    case 'immediately':
      return 'Immediately';
    case 'urgent':
      return 'As a matter of urgency';
  }
}

/** Whether two due values are the same. */
export function sameDue(a: Due, b: Due): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
