import { describe, expect, it } from 'vitest';

import { AGENCIES, SOURCES, preview, source } from './fixtures';
import {
  agencyFromFileName,
  columnLetter,
  columnName,
  countLines,
  emptyMapping,
  importBlocker,
  nextVersion,
  paragraphRef,
  placement,
  preselectedVersion,
  readDate,
  versionCandidates,
  versionName,
} from './import';

describe('document import defaults', () => {
  it('finds the one agency a file name names, by name or short name, as whole words', () => {
    expect(agencyFromFileName('/x/Northshire Police IMR v2.docx', AGENCIES)).toBe('a-police');
    expect(agencyFromFileName('csc_imr_final.docx', AGENCIES)).toBe('a-csc');
    expect(agencyFromFileName('Riverside-Surgery.txt', AGENCIES)).toBe('a-gp');
    // Part of a word is not a match; two agencies named is no guess; short names under three
    // letters ("GP") are too easily met by chance.
    expect(agencyFromFileName('Policeman notes.docx', AGENCIES)).toBeNull();
    expect(agencyFromFileName('Police and CSC joint IMR.docx', AGENCIES)).toBeNull();
    expect(agencyFromFileName('GP notes.docx', AGENCIES)).toBeNull();
  });

  it('offers the current sources of the same agency and chooses one only when it is certain', () => {
    expect(versionCandidates(SOURCES, 'a-police').map((s) => s.id)).toEqual(['s-police-1']);
    expect(preselectedVersion(SOURCES, 'a-police', 'imr')).toBe('s-police-1');
    expect(preselectedVersion(SOURCES, 'a-police', 'chronology')).toBeNull();
    expect(preselectedVersion(SOURCES, null, 'imr')).toBeNull();
    const two = [...SOURCES, source({ id: 'other', title: 'Police IMR addendum' })];
    expect(preselectedVersion(two, 'a-police', 'imr')).toBeNull();
  });

  it('numbers the next version on', () => {
    expect(nextVersion('')).toBe('2');
    expect(nextVersion('1')).toBe('2');
    expect(nextVersion('v2')).toBe('v3');
    expect(nextVersion('Draft 9')).toBe('Draft 10');
    expect(nextVersion('final')).toBe('');
    expect(versionName(source({ version: '1' }))).toBe('version 1');
    expect(versionName(source({ version: 'v2' }))).toBe('v2');
    expect(versionName(source({ version: '' }))).toBe('the old version');
  });

  it('names paragraphs and placements as the summary shows them', () => {
    expect(paragraphRef('4.2.1', 40)).toBe('¶4.2.1');
    expect(paragraphRef(null, 51)).toBe('paragraph 51');
    expect(placement({ exact: true, similarity: 1 })).toBe('exact match');
    expect(placement({ exact: false, similarity: 0.866 })).toBe('by similarity (87%)');
  });

  it('lists the kinds of block a document had, leaving out the ones it had none of', () => {
    const lines = countLines({
      paragraphs: 1200,
      headings: 0,
      list_items: 3,
      tables: 1,
      table_rows: 1,
      footnotes: 0,
      endnotes: 2,
    });
    expect(lines).toEqual([
      { label: 'Paragraphs', value: '1,200' },
      { label: 'List items', value: '3' },
      { label: 'Tables', value: '1 (1 row)' },
      { label: 'Endnotes', value: '2' },
    ]);
  });
});

describe('chronology mapping', () => {
  it('names columns as a spreadsheet does', () => {
    expect([0, 1, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
    expect(columnName(1, ' Date of event ')).toBe('B: Date of event');
    expect(columnName(2, '')).toBe('C (no heading)');
  });

  it('allows the import only with the date and event chosen, a current preview and a ready row', () => {
    const mapped = { ...emptyMapping(), date: 0, event: 2 };
    expect(importBlocker(emptyMapping(), preview(), false)).toBe(
      'Choose the column that holds the date and the column that holds the event.',
    );
    expect(importBlocker({ ...mapped, event: null }, preview(), false)).toBe(
      'Choose the column that holds the event.',
    );
    expect(importBlocker(mapped, preview(), true)).toBe('Reading the file…');
    expect(importBlocker(mapped, null, false)).toBe('Reading the file…');
    expect(importBlocker(mapped, preview(mapped, []), false)).toBe('The file has no rows to import.');
    expect(importBlocker(mapped, preview(mapped, preview().rows.slice(2)), false)).toMatch(/^No row is ready/);
    expect(importBlocker(mapped, preview(), false)).toBeNull();
  });

  it('shows a read date at its precision', () => {
    expect(readDate({ date: '2009-04-03', precision: 'day', end_date: null })).toBe('03/04/2009');
    expect(readDate({ date: '2008-09-01', precision: 'month', end_date: null })).toBe('September 2008');
    expect(readDate({ date: '2009-01-01', precision: 'approximate', end_date: null })).toBe('c. 2009');
    expect(readDate({ date: null, precision: null, end_date: null })).toBe('');
  });
});
