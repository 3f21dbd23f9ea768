import { describe as group, expect, it } from 'vitest';
import * as api from './api';
import { AppError, describe, describeInUse, toAppError } from './api';
import { callsOf, mockCommands } from '../test/ipc';

group('api error mapping', () => {
  it('rethrows a core error as an AppError with its code and message', async () => {
    mockCommands({
      delete_tor: () => {
        throw { code: 'in_use', message: 'cannot delete ToR 3: 2 findings answer this term of reference' };
      },
    });
    const error = await api.deleteTor('t3', false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('in_use');
    expect((error as AppError).message).toBe(
      'cannot delete ToR 3: 2 findings answer this term of reference',
    );
  });

  it('turns a plain string rejection from the IPC layer into an ipc error', async () => {
    mockCommands({
      stats: () => {
        throw 'command stats not found';
      },
    });
    const error = await api.stats().catch((e: unknown) => e);
    expect(toAppError(error).code).toBe('ipc');
  });

  it('maps anything else thrown to unknown', () => {
    expect(toAppError(new TypeError('x is undefined')).code).toBe('unknown');
    expect(toAppError(42).code).toBe('unknown');
  });

  it('gives a human sentence for every code, never the raw Rust text', () => {
    const raw: Record<string, string> = {
      not_threadline: '/tmp/x.threadline is not a Threadline review file (bad application_id)',
      newer_version: '/tmp/x was made by a newer version of Threadline (file schema 9, this version reads up to 3)',
      damaged: '/tmp/x is damaged (database disk image is malformed)',
      open_elsewhere: 'review is open elsewhere: /tmp/x is already open in another process',
      already_exists: '/tmp/x already exists; choose another name',
      not_found: 'no term of reference with id 0192-abcd',
      conflict: 'cannot undo "Edit finding": finding 0192 was changed since by something',
      read_only: 'the review is open read-only',
      io: 'cannot read /tmp/a.txt: No such file or directory (os error 2)',
      storage: 'storage error: SqliteFailure(Error { code: DiskFull })',
      no_review: 'no review is open',
      ipc: 'command foo not found',
      something_new: 'panicked at src/lib.rs:3',
    };
    for (const [code, message] of Object.entries(raw)) {
      const text = describe(new AppError(code, message));
      expect(text, code).toMatch(/^[A-Z].*[.!?]$/);
      expect(text, code).not.toContain(message);
      expect(text, code).not.toMatch(/\/tmp|os error|Sqlite|0192|panicked/);
    }
  });

  it('says which files cannot be imported and why, in sentences', () => {
    expect(
      describe(
        new AppError(
          'unsupported',
          'minutes.doc is an old Word (.doc) file, which Threadline cannot import; open it in Word or LibreOffice and save it as .docx',
        ),
      ),
    ).toBe(
      'minutes.doc is an old Word (.doc) file, which Threadline cannot import. Open it in Word or LibreOffice and save it as .docx, then import that.',
    );
    expect(
      describe(new AppError('bad_document', 'imr.docx cannot be imported: the file is damaged; nothing was imported')),
    ).toBe('imr.docx could not be imported: the file is damaged. Nothing was imported, so the review is unchanged.');
    expect(describe(new AppError('unsupported', ''))).toMatch(/^Threadline cannot import that kind of file\./);
    expect(describe(new AppError('bad_document', ''))).toMatch(/Nothing was imported, so the review is unchanged\.$/);
  });

  it('tells nothing-to-redo from nothing-to-undo', () => {
    expect(describe(new AppError('nothing_to_undo', 'nothing to redo'))).toBe(
      'There is nothing to redo.',
    );
    expect(describe(new AppError('nothing_to_undo', 'nothing to undo'))).toBe(
      'There is nothing to undo.',
    );
  });

  it('explains an in-use refusal with the core’s reasons', () => {
    expect(
      describeInUse(
        'cannot delete ToR 3: 2 findings answer this term of reference; 1 comment is on this term of reference',
      ),
    ).toBe(
      'ToR 3 cannot be deleted because 2 findings answer this term of reference and 1 comment is on this term of reference.',
    );
    expect(describe(new AppError('in_use', 'cannot delete F2: 1 report section cites this finding'))).toBe(
      'F2 cannot be deleted because 1 report section cites this finding.',
    );
  });

  it('names the field of a validation failure in words', () => {
    expect(
      describe(
        new AppError('invalid', 'out_of_scope_reason: an item marked out of scope needs the reason'),
      ),
    ).toBe('Check out of scope reason: an item marked out of scope needs the reason.');
    expect(describe(new AppError('invalid', 'garbled'))).toMatch(/not valid/);
  });
});

group('api commands', () => {
  it('passes parameters in camelCase under the core’s names', async () => {
    const calls = mockCommands({
      update_tor: (args) => ({ id: args.id, number: 1, ...(args.input as object) }),
      paragraphs: () => [],
      move_finding: () => null,
      link_evidence: () => ({}),
      add_excerpt: () => ({}),
    });
    const input = { kind: 'generic' as const, text: 'What happened?', out_of_scope_reason: null };
    await api.updateTor('t1', input);
    await api.paragraphs('s1', 200, 100);
    await api.moveFinding('f1', null, 3);
    await api.linkEvidence('f1', { kind: 'excerpt', id: 'e1' }, 'supports', '');
    await api.addExcerpt('p1', 4, 12, 'note');
    expect(callsOf(calls, 'update_tor')).toEqual([{ id: 't1', input }]);
    expect(callsOf(calls, 'paragraphs')).toEqual([{ sourceId: 's1', offset: 200, limit: 100 }]);
    expect(callsOf(calls, 'move_finding')).toEqual([{ id: 'f1', themeId: null, to: 3 }]);
    expect(callsOf(calls, 'link_evidence')).toEqual([
      { findingId: 'f1', target: { kind: 'excerpt', id: 'e1' }, relation: 'supports', note: '' },
    ]);
    expect(callsOf(calls, 'add_excerpt')).toEqual([
      { paragraphId: 'p1', start: 4, end: 12, note: 'note' },
    ]);
  });

  it('passes the import commands their parameters under the core’s names', async () => {
    const calls = mockCommands({
      detect_format: 'csv',
      guess_mapping: {},
      preview_chronology_import: {},
      import_chronology: {},
    });
    const mapping = { sheet: null, date: 0, event: 2 } as unknown as Parameters<typeof api.importChronology>[1];
    await api.detectFormat('/in/police.csv');
    await api.guessMapping(['Date', 'Event']);
    await api.previewChronologyImport('/in/police.csv', null);
    await api.importChronology('/in/police.csv', mapping);
    expect(callsOf(calls, 'detect_format')).toEqual([{ path: '/in/police.csv' }]);
    expect(callsOf(calls, 'guess_mapping')).toEqual([{ headers: ['Date', 'Event'] }]);
    expect(callsOf(calls, 'preview_chronology_import')).toEqual([{ path: '/in/police.csv', mapping: null }]);
    const [imported] = callsOf(calls, 'import_chronology');
    expect(imported).toMatchObject({ path: '/in/police.csv', mapping });
    expect(JSON.stringify(imported.onProgress)).toMatch(/^"__CHANNEL__:\d+"$/);
  });

  it('asks for files to import, and answers an empty list when the user cancels', async () => {
    mockCommands({ 'plugin:dialog|open': () => '/in/imr.docx' });
    expect(await api.chooseFilesToImport()).toEqual(['/in/imr.docx']);
    mockCommands({ 'plugin:dialog|open': () => ['/in/a.docx', '/in/b.csv'] });
    expect(await api.chooseFilesToImport()).toEqual(['/in/a.docx', '/in/b.csv']);
    mockCommands({ 'plugin:dialog|open': () => null });
    expect(await api.chooseFilesToImport()).toEqual([]);
  });

  it('adds the .threadline extension to a new review’s name', async () => {
    mockCommands({ 'plugin:dialog|save': () => '/home/u/child-b' });
    expect(await api.chooseReviewToCreate()).toBe('/home/u/child-b.threadline');
    mockCommands({ 'plugin:dialog|save': () => null });
    expect(await api.chooseReviewToCreate()).toBeNull();
  });

  it('listens to nothing, without failing, outside the app window', async () => {
    const stop = await api.onMenu(() => {});
    expect(typeof stop).toBe('function');
    stop();
    const stopDrops = await api.onDragDrop(() => {});
    expect(typeof stopDrops).toBe('function');
    stopDrops();
  });
});
