//! File › Export…: the documents, the formats each allows (as the core's `ExportDoc::formats`),
//! the request the dialog sends (internal, or publication with the hits marked intended), and
//! how its failures and the leak gate's hits read.

import { describe, toAppError } from '../../lib/api';
import type { CitationStyle, Document, ExportDoc, ExportFormat, ExportRequest, LeakHit } from '../../lib/types';

export const DOCUMENTS: readonly { doc: ExportDoc; label: string; file: string }[] = [
  { doc: 'overview', label: 'Overview report', file: 'overview-report' },
  { doc: 'summary', label: 'Executive summary', file: 'executive-summary' },
  { doc: 'action_plan', label: 'Action plan', file: 'action-plan' },
  { doc: 'chronology', label: 'Chronology', file: 'chronology' },
  { doc: 'coverage', label: 'Coverage matrix', file: 'coverage-matrix' },
];

export const FORMAT_LABELS: Record<ExportFormat, string> = {
  docx: 'Word (.docx)',
  html: 'Web page for printing (.html)',
  md: 'Markdown (.md)',
  xlsx: 'Excel (.xlsx)',
  csv: 'CSV (.csv)',
};

/** Whether the document is a written report (citations apply). */
export function isReport(doc: ExportDoc): boolean {
  return doc === 'overview' || doc === 'summary';
}

/** The formats `doc` can be exported to, the first being the default. */
export function formatsFor(doc: ExportDoc): ExportFormat[] {
  return isReport(doc) ? ['docx', 'html', 'md'] : ['xlsx', 'csv', 'docx', 'html', 'md'];
}

/** The request for the dialog's choices; a format `doc` does not allow becomes its default. */
export function buildRequest(
  doc: ExportDoc,
  format: ExportFormat,
  citations: CitationStyle,
  appendix: boolean,
): ExportRequest {
  const allowed = formatsFor(doc);
  return {
    doc,
    format: allowed.includes(format) ? format : allowed[0],
    citations,
    coverage_appendix: doc === 'overview' ? appendix : false,
  };
}

/** The suggested file name, without extension. */
export function fileNameFor(doc: ExportDoc): string {
  return DOCUMENTS.find((d) => d.doc === doc)?.file ?? 'export';
}

/** The overview report and executive summary are the documents rendered from sections. */
export function reportDocument(doc: ExportDoc): Document | null {
  return doc === 'overview' || doc === 'summary' ? doc : null;
}

/**
 * Why an export failed, for the dialog. A file error keeps the core's own words, which name
 * the file and the system's reason ("cannot write /out/plan.xlsx: No space left on device");
 * a document with no sections says so; anything else reads as everywhere in the app.
 */
export function describeExportError(error: unknown): string {
  const e = toAppError(error);
  if (e.code === 'io') return `The export was not saved: ${e.message.trim().replace(/\.$/, '')}.`;
  if (e.code === 'invalid') {
    const m = /^doc: (.+)$/s.exec(e.message.trim());
    if (m) return `${m[1].charAt(0).toUpperCase()}${m[1].slice(1)}.`;
  }
  return describe(error);
}

/** Which version an export writes: as written, or with pseudonyms and the leak gate. */
export type Version = 'internal' | 'publication';

/**
 * The request for `version`: an internal request is sent as it is; a publication request
 * carries the keys of the leak-gate hits the author marked as intended.
 */
export function withVersion(request: ExportRequest, version: Version, allow: readonly string[] = []): ExportRequest {
  return version === 'publication' ? { ...request, publication: true, allow: [...allow] } : request;
}

/** The suggested file name for a version; a publication copy says so in its name. */
export function fileNameForVersion(doc: ExportDoc, version: Version): string {
  return version === 'publication' ? `${fileNameFor(doc)}-publication` : fileNameFor(doc);
}

const PARTS: Record<string, string> = {
  'word/document.xml': 'Document text',
  'word/footnotes.xml': 'Footnotes',
  'word/endnotes.xml': 'Endnotes',
  'word/comments.xml': 'Comments',
  'docProps/core.xml': 'File properties',
  'docProps/app.xml': 'File properties (application)',
  'docProps/custom.xml': 'File properties (custom)',
  'xl/sharedStrings.xml': 'Spreadsheet cells',
  html: 'Web page',
  markdown: 'Markdown',
  csv: 'CSV',
};

/** Where in the file a hit is, in words ("Footnotes", "Page header (word/header1.xml)"). */
export function describePart(part: string): string {
  if (PARTS[part]) return PARTS[part];
  if (/^word\/header\d*\.xml$/.test(part)) return `Page header (${part})`;
  if (/^word\/footer\d*\.xml$/.test(part)) return `Page footer (${part})`;
  if (/^xl\/worksheets\//.test(part)) return `Worksheet (${part})`;
  return part;
}

const PATTERNS: Record<string, string> = {
  postcode: 'a postcode',
  phone: 'a phone number',
  nhs_number: 'an NHS number',
  date_of_birth: 'a date of birth',
};

/** What a hit is: "the registered name “Laura Smith”, found as “LAURA” (2 times)". */
export function describeHit(hit: LeakHit): string {
  const what = hit.kind === 'name' ? `the registered name “${hit.term}”` : (PATTERNS[hit.kind] ?? hit.term);
  const found = hit.kind === 'name' && hit.found === hit.term ? '' : `, found as “${hit.found}”`;
  const times = hit.count > 1 ? ` (${hit.count} times)` : '';
  return `${what}${found}${times}`;
}
