import { describe, expect, it } from 'vitest';

import { AppError, describe as describeError } from '../../lib/api';
import { fieldProblem, needsPseudonym, suggestAliases, withAlias } from './register';

describe('suggestAliases', () => {
  it('offers the first name, the surname and the initials of a person', () => {
    expect(suggestAliases('Laura Smith', [])).toEqual(['Laura', 'Smith', 'L.S.']);
  });

  it('adds first and last initials for three or more names', () => {
    expect(suggestAliases('Laura Jane Smith', [])).toEqual(['Laura', 'Smith', 'L.J.S.', 'L.S.']);
  });

  it('leaves out forms already listed, ignoring case', () => {
    expect(suggestAliases('Laura Smith', ['laura', 'L.S.'])).toEqual(['Smith']);
  });

  it('offers nothing for a single name', () => {
    expect(suggestAliases('Laura', [])).toEqual([]);
    expect(suggestAliases('   ', [])).toEqual([]);
  });

  it('keeps accented letters and skips punctuation', () => {
    expect(suggestAliases('Zoë  O’Brien-Ávila', [])).toEqual(['Zoë', 'O’Brien-Ávila', 'Z.O.']);
    expect(suggestAliases('Kay (Katherine) Lee', [])).toEqual(['Kay', 'Lee', 'K.K.L.', 'K.L.']);
  });
});

describe('withAlias', () => {
  it('adds a trimmed alias once', () => {
    const one = withAlias([], '  Lolly  ');
    expect(one).toEqual(['Lolly']);
    expect(withAlias(one, 'LOLLY')).toBe(one);
  });

  it('refuses blanks and the real name itself', () => {
    expect(withAlias(['A'], '  ')).toEqual(['A']);
    expect(withAlias([], 'laura smith', 'Laura Smith')).toEqual([]);
  });
});

describe('needsPseudonym', () => {
  it('is true only for an entry not safe to name with no pseudonym', () => {
    expect(needsPseudonym({ safe_to_name: false, pseudonym: '' })).toBe(true);
    expect(needsPseudonym({ safe_to_name: false, pseudonym: '  ' })).toBe(true);
    expect(needsPseudonym({ safe_to_name: false, pseudonym: 'Child S' })).toBe(false);
    expect(needsPseudonym({ safe_to_name: true, pseudonym: '' })).toBe(false);
  });
});

describe('fieldProblem', () => {
  it('puts an invalid field next to that field, as a sentence', () => {
    const e = new AppError('invalid', "pseudonym: 'Child S' is already the pseudonym of X; each pseudonym must stand for one entry");
    expect(fieldProblem(e, describeError)).toEqual({
      field: 'pseudonym',
      message: "'Child S' is already the pseudonym of X; each pseudonym must stand for one entry.",
    });
  });

  it('puts anything else at the foot of the form', () => {
    expect(fieldProblem(new AppError('storage', 'disk full'), describeError)).toEqual({
      field: 'form',
      message: 'The review file could not be read or written, so the last change was not saved.',
    });
    expect(fieldProblem(new AppError('invalid', 'weird: no such field'), describeError).field).toBe('form');
  });
});
