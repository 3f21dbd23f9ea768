//! The import dialogs' plain logic: the defaults a document import starts from (the agency
//! named in the file name, the earlier version it replaces, the next version number), the
//! chronology mapping's fields and column names, when a chronology can be imported, and the
//! words of the summaries.

import type {
  Agency,
  ChronologyPreview,
  ChronologyRow,
  ColumnMapping,
  DocumentCounts,
  FileFormat,
  ReanchoredExcerpt,
  RowStatus,
  Source,
  SourceKind,
} from '../../lib/types';
import { count } from '../../lib/format';
import { displayDate } from '../../panels/chronology/table';

export const FORMAT_LABEL: Record<FileFormat, string> = {
  docx: 'Word document',
  text: 'Text file',
  csv: 'CSV file',
  xlsx: 'Excel workbook',
};

/** Lowercase words of a text, single-spaced: "Police_IMR v2.docx" → "police imr v2 docx". */
function words(text: string): string {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(' ');
}

/**
 * The agency a file comes from, when its name names exactly one agency of the review by its
 * name or short name as whole words ("Northshire Police IMR v2.docx", "CSC_chronology.docx");
 * `null` when it names none or several.
 */
export function agencyFromFileName(name: string, agencies: readonly Agency[]): string | null {
  const stem = name.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  const haystack = ` ${words(stem)} `;
  const found = agencies.filter((a) =>
    [a.name, a.short_name].some((n) => {
      const w = words(n);
      return w.length >= 3 && haystack.includes(` ${w} `);
    }),
  );
  return found.length === 1 ? found[0].id : null;
}

/** The sources a new document from `agencyId` could be the new version of: that agency's
 * sources (or those with no agency) not already replaced by a later version. */
export function versionCandidates(sources: readonly Source[], agencyId: string | null): Source[] {
  return sources.filter((s) => s.agency_id === agencyId && s.superseded_by_id === null);
}

/**
 * The earlier version chosen at first: the one current source of the same kind from the same
 * agency, when there is exactly one (no guess for a document with no agency).
 */
export function preselectedVersion(
  sources: readonly Source[],
  agencyId: string | null,
  kind: SourceKind,
): string | null {
  if (agencyId === null) return null;
  const same = versionCandidates(sources, agencyId).filter((s) => s.kind === kind);
  return same.length === 1 ? same[0].id : null;
}

/** The version after `version`: "" or "1" → "2", "v2" → "v3", "Draft 1" → "Draft 2";
 * "" when it does not end in a number. */
export function nextVersion(version: string): string {
  const v = version.trim();
  if (v === '') return '2';
  const m = /^(.*?)(\d+)$/.exec(v);
  return m ? `${m[1]}${Number(m[2]) + 1}` : '';
}

/** "version 1", or "the old version" when it has no version. */
export function versionName(source: Pick<Source, 'version'>): string {
  const v = source.version.trim();
  if (!v) return 'the old version';
  return /^v(ersion)?\s*\d/i.test(v) ? v : `version ${v}`;
}

/** A paragraph as the reader names it: its document label, else its number. */
export function paragraphRef(label: string | null, seq: number): string {
  return label?.trim() ? `¶${label.trim()}` : `paragraph ${seq}`;
}

/** How a moved excerpt was placed: "exact match" or "by similarity (87%)". */
export function placement(r: Pick<ReanchoredExcerpt, 'exact' | 'similarity'>): string {
  return r.exact ? 'exact match' : `by similarity (${Math.round(r.similarity * 100)}%)`;
}

/** The document's blocks as the summary lists them; kinds it had none of are left out, except
 * paragraphs. */
export function countLines(c: DocumentCounts): { label: string; value: string }[] {
  const lines = [{ label: 'Paragraphs', value: c.paragraphs.toLocaleString('en-GB') }];
  const add = (label: string, n: number, value = n.toLocaleString('en-GB')) => {
    if (n > 0) lines.push({ label, value });
  };
  add('Headings', c.headings);
  add('List items', c.list_items);
  add('Tables', c.tables, `${c.tables.toLocaleString('en-GB')} (${count(c.table_rows, 'row')})`);
  add('Footnotes', c.footnotes);
  add('Endnotes', c.endnotes);
  return lines;
}

// -----------------------------------------------------------------------------------------------
// Chronology mapping

/** A field of a chronology entry that a column can fill. */
export type MappingField = Exclude<keyof ColumnMapping, 'sheet' | 'default_agency'>;

export const FIELDS: { key: MappingField; label: string; required?: boolean }[] = [
  { key: 'date', label: 'Date', required: true },
  { key: 'end_date', label: 'End date' },
  { key: 'agency', label: 'Agency' },
  { key: 'event', label: 'Event', required: true },
  { key: 'source', label: 'Source' },
  { key: 'significance', label: 'Significance' },
  { key: 'missed_opportunity', label: 'Missed opportunity' },
  { key: 'rationale', label: 'Rationale' },
  { key: 'people', label: 'People' },
];

/** A spreadsheet's column letters: 0 → "A", 25 → "Z", 26 → "AA". */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** A column as the selects show it: "B: Date of event", or "C (no heading)". */
export function columnName(index: number, header: string | undefined): string {
  const h = (header ?? '').trim();
  return h ? `${columnLetter(index)}: ${h}` : `${columnLetter(index)} (no heading)`;
}

/** A mapping with no column chosen, reading `sheet`. */
export function emptyMapping(sheet: string | null = null): ColumnMapping {
  return {
    sheet,
    date: null,
    end_date: null,
    agency: null,
    event: null,
    source: null,
    significance: null,
    missed_opportunity: null,
    rationale: null,
    people: null,
    default_agency: null,
  };
}

/**
 * Why the chronology cannot be imported as it stands, or `null` when it can: the date and
 * event columns must be chosen, the preview must be current and at least one row ready.
 */
export function importBlocker(
  mapping: ColumnMapping,
  preview: ChronologyPreview | null,
  previewing: boolean,
): string | null {
  const missing = [
    mapping.date === null ? 'the date' : null,
    mapping.event === null ? 'the event' : null,
  ].filter(Boolean);
  if (missing.length) return `Choose the column that holds ${missing.join(' and the column that holds ')}.`;
  if (previewing || !preview) return 'Reading the file…';
  if (preview.ready === 0) {
    return preview.rows.length === 0
      ? 'The file has no rows to import.'
      : 'No row is ready to import: every row fails or is already in the chronology.';
  }
  return null;
}

export const STATUS_LABEL: Record<RowStatus, string> = {
  ready: 'Ready',
  duplicate: 'Duplicate',
  failed: 'Fails',
};

export const PRECISION_LABEL: Record<string, string> = {
  day: 'day',
  month: 'month',
  year: 'year',
  approximate: 'approximate',
};

/** The date a row was read as ("03/04/2009", "April 2009", "c. 2009"), or "" when unread. */
export function readDate(row: Pick<ChronologyRow, 'date' | 'precision' | 'end_date'>): string {
  if (!row.date || !row.precision) return '';
  return displayDate({ date: row.date, precision: row.precision, end_date: row.end_date });
}

/** The counts line over the preview: "12 ready · 2 duplicates · 1 failing". */
export function previewCounts(p: Pick<ChronologyPreview, 'ready' | 'duplicates' | 'failed'>): string {
  return [
    `${p.ready.toLocaleString('en-GB')} ready`,
    count(p.duplicates, 'duplicate'),
    `${p.failed.toLocaleString('en-GB')} failing`,
  ].join(' · ');
}
