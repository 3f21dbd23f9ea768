import { describe, expect, it } from 'vitest';
import { citationIndex, citationKindOf, citationTarget, locateKind, searchKindsFor } from './report';

describe('report helpers', () => {
  it('maps the picker kinds to search kinds and back', () => {
    expect(searchKindsFor('chronology')).toEqual(['chronology_entry']);
    expect(searchKindsFor('all')).toHaveLength(6);
    expect(citationKindOf('tor_item')).toBe('tor');
    expect(citationKindOf('theme')).toBeNull();
    expect(locateKind('paragraph')).toBe('paragraph');
  });

  it('opens an excerpt citation at its source paragraph, and the others in their panels', () => {
    const where = {
      source_id: 's1',
      source_title: 'GP IMR',
      paragraph_id: 'p9',
      paragraph_seq: 9,
      paragraph_label: null,
      heading: null,
      label: 'GP IMR ¶9',
    };
    expect(citationTarget('excerpt', 'x1', where)).toEqual({
      panel: 'sources',
      kind: 'excerpt',
      id: 'x1',
      sourceId: 's1',
      paragraphId: 'p9',
      excerptId: 'x1',
    });
    expect(citationTarget('chronology', 'c1', null)).toEqual({ panel: 'chronology', kind: 'chronology_entry', id: 'c1' });
    expect(citationTarget('tor', 't1', null).panel).toBe('tor');
    expect(citationTarget('recommendation', 'r1', null).panel).toBe('recommendations');
    expect(citationTarget('finding', 'f1', null).panel).toBe('findings');
  });

  it('indexes rendered citations by kind and id', () => {
    const index = citationIndex({
      citations: [{ number: 2, kind: 'finding', id: 'f', label: 'F1', detail: 'd', missing: false }],
    } as never);
    expect(index.get('finding:f')).toEqual({ number: 2, label: 'F1', detail: 'd', missing: false });
    expect(index.get('excerpt:f')).toBeUndefined();
  });
});
