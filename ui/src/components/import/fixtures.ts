//! Data for the import dialogs' tests, shaped as the core answers.

import type {
  Agency,
  ChronologyPreview,
  ChronologyRow,
  ColumnMapping,
  DocumentImport,
  Source,
} from '../../lib/types';
import { emptyMapping } from './import';

export const AGENCIES: Agency[] = [
  { id: 'a-police', name: 'Northshire Police', short_name: 'Police', sector: 'police' },
  { id: 'a-csc', name: "Northshire Children's Social Care", short_name: 'CSC', sector: 'social care' },
  { id: 'a-gp', name: 'Riverside Surgery', short_name: 'GP', sector: 'health' },
];

export function source(over: Partial<Source> = {}): Source {
  return {
    id: 's-police-1',
    kind: 'imr',
    agency_id: 'a-police',
    title: 'Police IMR',
    author: 'DI Jones',
    independence: '',
    received_date: '2023-05-01',
    version: '1',
    confidence: 'not_rated',
    confidence_reason: '',
    summary: '',
    paragraph_count: 40,
    supersedes_id: null,
    superseded_by_id: null,
    file_name: 'Police IMR.docx',
    file_sha256: '',
    ...over,
  };
}

/** The police IMR (version 1), an older one it replaced, and a CSC IMR. */
export const SOURCES: Source[] = [
  source(),
  source({ id: 's-police-0', title: 'Police IMR (draft)', version: '0', superseded_by_id: 's-police-1' }),
  source({ id: 's-csc', agency_id: 'a-csc', title: 'CSC IMR', version: '' }),
];

/** What importing version 2 of the police IMR answers. */
export function documentImport(over: Partial<DocumentImport> = {}): DocumentImport {
  return {
    source: source({
      id: 's-police-2',
      title: 'Police IMR',
      version: '2',
      paragraph_count: 212,
      supersedes_id: 's-police-1',
      file_name: 'Northshire Police IMR v2.docx',
    }),
    format: 'docx',
    counts: {
      paragraphs: 212,
      headings: 14,
      list_items: 31,
      tables: 2,
      table_rows: 18,
      footnotes: 6,
      endnotes: 0,
    },
    tracked_changes: true,
    comments: [
      {
        author: 'A. Reviewer',
        date: '2023-06-02T10:15:00Z',
        text: 'Check this date against the CAD log.',
        paragraph_seq: 12,
        paragraph_id: 'p2-12',
        quoted: '22 April 2023',
      },
    ],
    reanchored: [
      {
        excerpt_id: 'x1',
        paragraph_id: 'p2-40',
        paragraph_seq: 40,
        paragraph_label: '4.2.1',
        old_quote: 'officers attended at 23:10',
        quote: 'officers attended at 23:10',
        exact: true,
        similarity: 1,
      },
      {
        excerpt_id: 'x2',
        paragraph_id: 'p2-51',
        paragraph_seq: 51,
        paragraph_label: null,
        old_quote: 'no referral was made to the MASH that night',
        quote: 'no referral was made to MASH that night',
        exact: false,
        similarity: 0.87,
      },
    ],
    unplaced: [
      {
        excerpt_id: 'x3',
        quote: 'the DASH form was not completed',
        paragraph_id: 'p1-20',
        paragraph_seq: 20,
        paragraph_label: '3.4',
        best_similarity: 0.41,
      },
    ],
    ...over,
  };
}

export const HEADERS = ['Date', 'Agency', 'Details', 'Source', 'Notes'];

export const GUESSED: ColumnMapping = { ...emptyMapping(), date: 0, agency: 1, event: 2, source: 3 };

export function row(over: Partial<ChronologyRow> = {}): ChronologyRow {
  return {
    row: 2,
    status: 'ready',
    date_text: '03/04/2009',
    date: '2009-04-03',
    precision: 'day',
    end_date: null,
    agency: 'Northshire Police',
    agency_is_new: false,
    event: 'Police attended a report of shouting.',
    source_locator: 'police.csv row 2',
    significance: 'routine',
    missed_opportunity: false,
    missed_rationale: '',
    people: [],
    reason: null,
    duplicate_of_row: null,
    duplicate_of_entry: null,
    warnings: [],
    ...over,
  };
}

export const ROWS: ChronologyRow[] = [
  row(),
  row({
    row: 3,
    date_text: 'Sept 2008',
    date: '2008-09-01',
    precision: 'month',
    agency: 'Riverside Housing',
    agency_is_new: true,
    event: 'Housing officer visited the flat.',
  }),
  row({ row: 4, status: 'duplicate', reason: 'already in the chronology', event: 'GP appointment missed.' }),
  row({
    row: 5,
    status: 'failed',
    date_text: 'soon',
    date: null,
    precision: null,
    reason: 'the date “soon” cannot be read',
    event: 'Health visitor planned a visit.',
  }),
];

/** A preview of police.csv under `mapping`: ready, duplicate and failing counts follow the rows. */
export function preview(
  mapping: ColumnMapping = GUESSED,
  rows: ChronologyRow[] = ROWS,
  over: Partial<ChronologyPreview> = {},
): ChronologyPreview {
  const n = (s: ChronologyRow['status']) => rows.filter((r) => r.status === s).length;
  return {
    file_name: 'police.csv',
    format: 'csv',
    encoding: 'UTF-8',
    delimiter: ',',
    sheet: null,
    sheets: [],
    headers: HEADERS,
    mapping,
    problems: [],
    rows,
    ready: n('ready'),
    duplicates: n('duplicate'),
    failed: n('failed'),
    new_agencies: rows.filter((r) => r.agency_is_new).map((r) => r.agency!),
    ...over,
  };
}
