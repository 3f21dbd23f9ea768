//! Plain helpers of the Names & pseudonyms panel: the categories in display order, which
//! entries still need a pseudonym, the aliases worth offering for a person's name, and where a
//! core refusal belongs in the entry form, and what removing old names from the file did.

import { toAppError } from '../../lib/api';
import type { CompactReport, Person, PersonCategory, PersonInput } from '../../lib/types';

export interface CategorySpec {
  category: PersonCategory;
  /** The group heading ("People"). */
  title: string;
  /** One entry of it, for buttons and labels ("person"). */
  noun: string;
  /** What the empty group says. */
  empty: string;
}

export const CATEGORIES: readonly CategorySpec[] = [
  {
    category: 'person',
    title: 'People',
    noun: 'person',
    empty: 'No people yet. Add the child, the family and anyone else the documents name.',
  },
  {
    category: 'place',
    title: 'Places',
    noun: 'place',
    empty: 'No places yet. Add addresses, schools and other places that could identify the family.',
  },
  {
    category: 'organisation',
    title: 'Organisations',
    noun: 'organisation',
    empty: 'No organisations yet. Agencies are usually safe to name; projects that identify the area may not be.',
  },
];

export function categorySpec(category: PersonCategory): CategorySpec {
  return CATEGORIES.find((c) => c.category === category) ?? CATEGORIES[0];
}

/** True when the entry may not be named and has no pseudonym yet (as the core decides it). */
export function needsPseudonym(p: Pick<Person, 'safe_to_name' | 'pseudonym'>): boolean {
  return !p.safe_to_name && p.pseudonym.trim() === '';
}

/** The editable fields of an entry, with `change` applied. */
export function inputOf(p: Person, change: Partial<PersonInput> = {}): PersonInput {
  return {
    category: p.category,
    real_name: p.real_name,
    aliases: [...p.aliases],
    pseudonym: p.pseudonym,
    role: p.role,
    relation: p.relation,
    safe_to_name: p.safe_to_name,
    ...change,
  };
}

/** An empty entry of `category`. */
export function blankInput(category: PersonCategory): PersonInput {
  return {
    category,
    real_name: '',
    aliases: [],
    pseudonym: '',
    role: '',
    relation: '',
    safe_to_name: category === 'organisation',
  };
}

const fold = (name: string) => name.trim().toLowerCase();

/** Adds `alias` to `aliases` unless it is blank or already there (ignoring case and space). */
export function withAlias(aliases: string[], alias: string, realName = ''): string[] {
  const clean = alias.trim().replace(/\s+/g, ' ');
  if (!clean) return aliases;
  const key = fold(clean);
  if (key === fold(realName) || aliases.some((a) => fold(a) === key)) return aliases;
  return [...aliases, clean];
}

/**
 * The usual other forms of a person's name, offered as one-click aliases: the first name alone,
 * the surname alone, and the initials ("L.S."); for three or more names also the first and
 * last initials. Forms already listed (or equal to the full name) are left out. Possessives are
 * matched by the core, so they are not offered.
 */
export function suggestAliases(realName: string, aliases: string[]): string[] {
  const words = realName
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/^[("'“‘]+|[)"'”’.,;:]+$/g, ''))
    .filter((w) => /\p{L}/u.test(w));
  if (words.length < 2) return [];
  const initial = (w: string) => `${Array.from(w)[0].toLocaleUpperCase()}.`;
  const candidates = [
    words[0],
    words[words.length - 1],
    words.map(initial).join(''),
    ...(words.length > 2 ? [initial(words[0]) + initial(words[words.length - 1])] : []),
  ];
  const taken = new Set([fold(realName), ...aliases.map(fold)]);
  const out: string[] = [];
  for (const c of candidates) {
    const key = fold(c);
    if (taken.has(key)) continue;
    taken.add(key);
    out.push(c);
  }
  return out;
}

/** The fields of the entry form a core refusal can name. */
export type FormField = 'real_name' | 'aliases' | 'pseudonym' | 'role' | 'relation' | 'form';

const FIELDS: FormField[] = ['real_name', 'aliases', 'pseudonym', 'role', 'relation'];

/**
 * Where a failed save belongs in the form and what to say there. The core answers
 * `invalid` with "<field>: <why>"; the why is shown next to that field. Anything else goes
 * at the foot of the form.
 */
export function fieldProblem(error: unknown, describe: (e: unknown) => string): {
  field: FormField;
  message: string;
} {
  const e = toAppError(error);
  if (e.code === 'invalid') {
    const m = /^([a-z_]+): (.+)$/s.exec(e.message.trim());
    if (m && (FIELDS as string[]).includes(m[1])) {
      const why = m[2].trim();
      const text = why[0].toUpperCase() + why.slice(1);
      return { field: m[1] as FormField, message: /[.!?]$/.test(text) ? text : `${text}.` };
    }
  }
  return { field: 'form', message: describe(error) };
}

/** A size in bytes as people read it: "820 KB", "1.4 MB". */
function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** What removing old names did, in one sentence. */
export function describeCompaction(r: CompactReport): string {
  const count = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`);
  const sealed = count(r.changes_sealed, 'earlier change', 'earlier changes');
  const extras = [
    r.summaries_redacted > 0 ? `${count(r.summaries_redacted, 'history entry', 'history entries')} that named someone reworded` : '',
    r.drafts_redacted > 0 ? `the old names taken out of ${count(r.drafts_redacted, 'issued draft', 'issued drafts')}` : '',
    r.backups_removed > 0 ? `${count(r.backups_removed, 'backup', 'backups')} that held them replaced by one new backup` : '',
  ].filter(Boolean);
  const more = extras.map((e) => `, ${e}`).join('');
  return `Old names removed: ${sealed} can no longer be undone${more}; the file went from ${size(r.bytes_before)} to ${size(r.bytes_after)}.`;
}
