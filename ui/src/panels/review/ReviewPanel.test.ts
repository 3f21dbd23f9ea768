import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';

import { review } from '../../lib/review.svelte';
import type {
  Approval,
  Comment,
  CommentPosition,
  DraftDiff,
  DraftInfo,
  PackImportReport,
  RenderedDocument,
  Section,
} from '../../lib/types';
import { callsOf, mockCommands, type Answer } from '../../test/ipc';
import ReviewPanel from './ReviewPanel.svelte';

const DRAFTS: DraftInfo[] = [
  { id: 'd1', number: 1, label: 'Draft 1', issued_at: '2026-10-01T09:00:00.000Z', issued_by: 'Alison Greaves', role: 'author' },
  { id: 'd2', number: 2, label: 'Panel draft', issued_at: '2026-11-15T14:30:00.000Z', issued_by: 'Alison Greaves', role: 'author' },
];

const BODY = 'The school saw Child S twice. Child S was quiet in class [[finding:f1]].';

const SECTIONS: Section[] = [
  { id: 's1', document: 'overview', position: 0, heading: 'Introduction', body: BODY },
  { id: 's2', document: 'overview', position: 1, heading: 'Analysis', body: 'The GP did not refer.' },
];

/** The sections as the open draft froze them (the same as now unless a test says not). */
let FROZEN: Section[] = SECTIONS;

function rendered(): RenderedDocument {
  return {
    document: 'overview',
    title: 'Child S',
    subtitle: 'Overview report',
    board: 'Board',
    author: 'Alison Greaves',
    marking: 'Panel draft',
    citation_style: 'footnotes',
    sections: [
      {
        id: 's1',
        heading: 'Introduction',
        blocks: [
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: 'The school saw Child S twice. Child S was quiet in class ', bold: false, italic: false },
              { type: 'citation', number: 1 },
              { type: 'text', text: '.', bold: false, italic: false },
            ],
          },
        ],
      },
      {
        id: 's2',
        heading: 'Analysis',
        blocks: [{ type: 'paragraph', content: [{ type: 'text', text: 'The GP did not refer.', bold: false, italic: false }] }],
      },
    ],
    citations: [
      { number: 1, kind: 'finding', id: 'f1', label: 'F1', detail: 'The school did not share concerns.', missing: false },
    ],
    notes: [],
    problems: [],
  };
}

function thread(id: string, over: Partial<Comment> = {}): Comment {
  return {
    id,
    parent_id: null,
    author: 'Pat Chair',
    role: 'chair',
    created_at: '2026-11-20T10:00:00.000Z',
    target_kind: 'section',
    target_id: 's1',
    anchor: null,
    body: 'Please say when.',
    resolved: false,
    replies: [],
    ...over,
  };
}

function approval(over: Partial<Approval>): Approval {
  return {
    id: 'a1',
    section_id: 's1',
    heading: 'Introduction',
    draft_id: 'd2',
    draft_number: 2,
    draft_label: 'Panel draft',
    state: 'approved',
    note: '',
    text_sha256: 'x',
    by: 'Pat Chair',
    role: 'chair',
    at: '2026-11-21T11:00:00.000Z',
    stale: false,
    section_deleted: false,
    ...over,
  };
}

function mock(extra: Record<string, Answer> = {}) {
  return mockCommands({
    drafts: DRAFTS,
    approvals: [],
    render_draft: () => rendered(),
    draft: (args) => ({
      info: DRAFTS.find((d) => d.id === args.key)!,
      snapshot: { content: { sections: FROZEN } },
    }),
    sections: (args) => (args.document === 'overview' ? SECTIONS : []),
    section: (args) => SECTIONS.find((s) => s.id === args.id)!,
    comment_positions: [] as CommentPosition[],
    comments: [],
    ...extra,
  });
}

/** Selects the `nth` (0-based) appearance of `words` in the text of section `id`. */
function selectWords(id: string, words: string, nth = 0) {
  const body = document.querySelector<HTMLElement>(`[data-section-body="${id}"]`)!;
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  let seen = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    let at = text.indexOf(words);
    while (at >= 0) {
      if (seen === nth) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + words.length);
        const sel = document.getSelection()!;
        sel.removeAllRanges();
        sel.addRange(range);
        fireEvent.mouseUp(body);
        return;
      }
      seen += 1;
      at = text.indexOf(words, at + 1);
    }
  }
  throw new Error(`"${words}" #${nth} not in section ${id}`);
}

beforeEach(() => {
  FROZEN = SECTIONS;
  review.navigation = null;
  review.panel = 'review';
  document.getSelection()?.removeAllRanges();
});

describe('ReviewPanel: drafts', () => {
  it('lists drafts newest first with label, date and who, and reads the newest', async () => {
    mock();
    render(ReviewPanel);
    const nav = await screen.findByRole('navigation', { name: 'Issued drafts' });
    const items = within(nav).getAllByRole('button');
    expect(items.map((b) => b.querySelector('.label')!.textContent)).toEqual(['Panel draft', 'Draft 1']);
    expect(items[0]).toHaveTextContent('15 Nov 2026');
    expect(items[0]).toHaveTextContent('Alison Greaves (overview author)');
    expect(items[0]).toHaveAttribute('aria-current', 'true');
    const page = await screen.findByRole('article', { name: 'Panel draft: Overview report' });
    expect(within(page).getByRole('heading', { name: 'Introduction' })).toBeInTheDocument();
    // Citations show as numbers, and are listed by number.
    expect(within(page).getByTitle('Citation 1')).toHaveTextContent('[1]');
    expect(within(page).getByText(/The school did not share concerns\./)).toBeInTheDocument();
  });

  it('says what to do when no draft was issued, and says what issuing freezes', async () => {
    const calls = mock({
      drafts: [],
      draft_content: { title: 'Child S', sections: SECTIONS, findings: [{}], recommendations: [{}, {}], tor: [{}, {}, {}], themes: [], agencies: [] },
      issue_draft: (args) => ({ info: { ...DRAFTS[0], id: 'd9', label: (args.label as string) ?? 'Draft 1' }, snapshot: {} }),
    });
    render(ReviewPanel);
    expect(await screen.findByRole('region', { name: 'No drafts issued yet' })).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getAllByRole('button', { name: 'Issue draft…' })[0]);
    const dialog = await screen.findByRole('dialog', { name: 'Issue Draft 1' });
    await waitFor(() =>
      expect(within(dialog).getByText(/This freezes the report as it is now/)).toHaveTextContent(
        '2 sections, 1 finding, 2 recommendations and 3 terms of reference',
      ),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Issue draft' }));
    await waitFor(() => expect(callsOf(calls, 'issue_draft')).toEqual([{ label: null }]));
  });

  it('issues a draft under the label typed', async () => {
    const calls = mock({
      draft_content: { title: 'T', sections: [], findings: [], recommendations: [], tor: [], themes: [], agencies: [] },
      issue_draft: (args) => ({ info: { ...DRAFTS[1], id: 'd3', number: 3, label: args.label as string }, snapshot: {} }),
    });
    render(ReviewPanel);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Issue draft…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Issue Draft 3' });
    await user.type(within(dialog).getByLabelText('Label (optional)'), 'Final draft');
    await waitFor(() => expect(within(dialog).getByText(/This freezes/)).toBeInTheDocument());
    await user.click(within(dialog).getByRole('button', { name: 'Issue draft' }));
    await waitFor(() => expect(callsOf(calls, 'issue_draft')).toEqual([{ label: 'Final draft' }]));
  });
});

describe('ReviewPanel: exporting a draft', () => {
  it('writes the open draft as issued to the file chosen', async () => {
    const calls = mock({ 'plugin:dialog|save': '/out/panel-draft', export_draft_to_file: 4096 });
    render(ReviewPanel);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Export draft…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Export Panel draft' });
    await user.selectOptions(within(dialog).getByLabelText('Format'), 'html');
    await user.selectOptions(within(dialog).getByLabelText('Citations'), 'brackets');
    await user.click(within(dialog).getByRole('button', { name: 'Export…' }));
    await waitFor(() => expect(callsOf(calls, 'export_draft_to_file')).toHaveLength(1));
    const [args] = callsOf(calls, 'export_draft_to_file');
    expect(args).toMatchObject({
      key: 'd2',
      request: { doc: 'overview', format: 'html', citations: 'brackets', coverage_appendix: true },
      path: '/out/panel-draft.html',
      replace: true,
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});

describe('ReviewPanel: comments on words', () => {
  it('comments on words found once through the core, naming the section and quote', async () => {
    const calls = mock({ comment_on_quote: () => thread('c9') });
    render(ReviewPanel);
    await screen.findByRole('article', { name: /Panel draft/ });
    selectWords('s1', 'twice');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Comment' }));
    const dialog = await screen.findByRole('dialog', { name: 'Comment on these words' });
    expect(within(dialog).getByText('“twice”')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('Comment'), 'Which dates?');
    await user.click(within(dialog).getByRole('button', { name: 'Add comment' }));
    await waitFor(() =>
      expect(callsOf(calls, 'comment_on_quote')).toEqual([
        { targetKind: 'section', targetId: 's1', quote: 'twice', body: 'Which dates?' },
      ]),
    );
    expect(callsOf(calls, 'add_comment')).toEqual([]);
  });

  it('anchors repeated words on the place selected (Ctrl+Alt+M)', async () => {
    const calls = mock({ add_comment: () => thread('c9') });
    render(ReviewPanel);
    await screen.findByRole('article', { name: /Panel draft/ });
    selectWords('s1', 'Child S', 1);
    const user = userEvent.setup();
    await user.keyboard('{Control>}{Alt>}m{/Alt}{/Control}');
    const dialog = await screen.findByRole('dialog', { name: 'Comment on these words' });
    await user.type(within(dialog).getByLabelText('Comment'), 'Quiet how?');
    await user.click(within(dialog).getByRole('button', { name: 'Add comment' }));
    await waitFor(() => expect(callsOf(calls, 'add_comment')).toHaveLength(1));
    expect(callsOf(calls, 'add_comment')[0]).toEqual({
      targetKind: 'section',
      targetId: 's1',
      anchor: {
        exact: 'Child S',
        prefix: 'The school saw Child S twice. ',
        suffix: ' was quiet in class [[finding:f1',
        hint: 30,
      },
      body: 'Quiet how?',
    });
    expect(callsOf(calls, 'comment_on_quote')).toEqual([]);
  });

  it('does not mark words or guess among repeated words once the section changed since the draft', async () => {
    FROZEN = [{ ...SECTIONS[0], body: 'The school saw Child S. Child S was quiet.' }, SECTIONS[1]];
    const calls = mock({
      add_comment: () => thread('c9'),
      comment_positions: (args) =>
        args.sectionId === 's1'
          ? [
              {
                comment: thread('c1', { anchor: { exact: 'Child S', prefix: '', suffix: '' } }),
                place: { state: 'located', start: 30, end: 37 },
              },
            ]
          : [],
    });
    render(ReviewPanel);
    await screen.findByRole('group', { name: 'Comments on Introduction' });
    await waitFor(() => expect(document.querySelector('[data-changed-since]')).not.toBeNull());
    expect(document.querySelectorAll('[data-section-body="s1"] mark')).toHaveLength(0);
    selectWords('s1', 'Child S', 1);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Comment' }));
    const dialog = await screen.findByRole('dialog', { name: 'Comment on these words' });
    await user.type(within(dialog).getByLabelText('Comment'), 'Which one?');
    await user.click(within(dialog).getByRole('button', { name: 'Add comment' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('appear more than once');
    expect(callsOf(calls, 'add_comment')).toEqual([]);
  });

  it('asks for a selection first when none is made', async () => {
    const calls = mock();
    render(ReviewPanel);
    await screen.findByRole('article', { name: /Panel draft/ });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Comment' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Select some words');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(callsOf(calls, 'add_comment')).toEqual([]);
  });

  it('marks the words of a located comment and shows an orphaned one with its quote', async () => {
    mock({
      comment_positions: (args) =>
        args.sectionId === 's1'
          ? [
              {
                comment: thread('c1', { anchor: { exact: 'Child S', prefix: 'twice. ', suffix: ' was', hint: 30 } }),
                place: { state: 'located', start: 30, end: 37 },
              },
              {
                comment: thread('c2', { anchor: { exact: 'seen at home', prefix: '', suffix: '' }, body: 'Where?' }),
                place: { state: 'orphaned' },
              },
            ]
          : [],
    });
    render(ReviewPanel);
    const group = await screen.findByRole('group', { name: 'Comments on Introduction' });
    const marks = document.querySelectorAll('[data-section-body="s1"] mark');
    expect(marks).toHaveLength(1);
    expect(marks[0]).toHaveTextContent('Child S');
    expect(marks[0].getAttribute('data-comments')).toBe('c1');
    // The second "Child S" is the one marked: the text before it holds the first.
    const before = document.createRange();
    before.setStart(document.querySelector('[data-section-body="s1"]')!, 0);
    before.setEndBefore(marks[0]);
    expect(before.toString()).toBe('The school saw Child S twice. ');
    const orphan = within(group).getByText('Where?').closest('article')!;
    expect(within(orphan).getByText('Orphaned')).toBeInTheDocument();
    expect(orphan).toHaveTextContent('“seen at home”');
  });
});

describe('ReviewPanel: approvals', () => {
  it('approves a section of the open draft, and flags a verdict made stale by later edits', async () => {
    const calls = mock({
      approvals: [approval({ state: 'changes_requested', note: 'Add the dates.', stale: true })],
      set_approval: () => approval({}),
    });
    render(ReviewPanel);
    const verdicts = await screen.findByRole('list', { name: 'Verdicts on Introduction' });
    expect(verdicts).toHaveTextContent('Changes requested by Pat Chair (panel chair)');
    expect(verdicts).toHaveTextContent('“Add the dates.”');
    expect(within(verdicts).getByText('Stale')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Verdicts on Analysis' })).toBeNull();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Approve “Analysis”' }));
    await waitFor(() =>
      expect(callsOf(calls, 'set_approval')).toEqual([{ sectionId: 's2', draft: 'd2', state: 'approved', note: '' }]),
    );
  });

  it('asks what should change before requesting changes', async () => {
    const calls = mock({ set_approval: () => approval({ state: 'changes_requested' }) });
    render(ReviewPanel);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Request changes to “Introduction”' }));
    await user.click(screen.getByRole('button', { name: 'Request changes' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Say what should change');
    expect(callsOf(calls, 'set_approval')).toEqual([]);
    await user.type(screen.getByLabelText('What should change in “Introduction”?'), 'Name the agencies.');
    await user.click(screen.getByRole('button', { name: 'Request changes' }));
    await waitFor(() =>
      expect(callsOf(calls, 'set_approval')).toEqual([
        { sectionId: 's1', draft: 'd2', state: 'changes_requested', note: 'Name the agencies.' },
      ]),
    );
  });
});

const DIFF: DraftDiff = {
  from: { label: 'Panel draft', number: 2, issued_at: '2026-11-15T14:30:00.000Z' },
  to: { label: 'Current', number: null, issued_at: null },
  title: 'Child S',
  sections: [
    {
      id: 's1',
      document: 'overview',
      status: 'changed',
      heading: 'Introduction',
      old_heading: 'Intro',
      moved: true,
      segments: [
        { kind: 'equal', text: 'The school saw Child S ' },
        { kind: 'delete', text: 'twice' },
        { kind: 'insert', text: '<b>three times</b>' },
        { kind: 'equal', text: '.' },
      ],
    },
    { id: 's2', document: 'overview', status: 'unchanged', heading: 'Analysis', old_heading: null, moved: false, segments: [{ kind: 'equal', text: 'The GP did not refer.' }] },
    { id: 's3', document: 'summary', status: 'added', heading: 'Lessons', old_heading: null, moved: false, segments: [{ kind: 'insert', text: 'New.' }] },
  ],
  findings: [
    {
      id: 'f1',
      status: 'changed',
      label: 'F1',
      old_label: null,
      text: 'The school did not share concerns.',
      fields: [{ field: 'theme', old: 'Information sharing', new: 'Professional curiosity' }],
    },
  ],
  recommendations: [{ id: 'r4', status: 'removed', label: 'R4', old_label: null, text: 'Train staff.', fields: [] }],
  tor: [],
};

describe('ReviewPanel: what changed', () => {
  it('shows inserted and deleted words as text, with badges and the fields that changed', async () => {
    const calls = mock({ diff: DIFF });
    render(ReviewPanel);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('tab', { name: 'What changed' }));
    const intro = await screen.findByRole('article', { name: /Introduction/ });
    expect(callsOf(calls, 'diff')).toEqual([{ from: { kind: 'draft', draft: 'd2' }, to: { kind: 'current' } }]);
    const ins = intro.querySelectorAll('ins');
    const del = intro.querySelectorAll('del');
    expect([...del].map((e) => e.textContent)).toEqual(['twice']);
    // Review text is shown as text: the tags typed in it are not made into elements.
    expect([...ins].map((e) => e.textContent)).toEqual(['<b>three times</b>']);
    expect(intro.querySelector('b')).toBeNull();
    expect(within(intro).getByText('Moved')).toBeInTheDocument();
    expect(within(intro).getByText('Renamed')).toBeInTheDocument();
    expect(intro).toHaveTextContent('Was “Intro”');
    // Unchanged sections wait for the box.
    expect(screen.queryByRole('article', { name: 'Analysis' })).toBeNull();
    expect(within(screen.getByRole('article', { name: /Lessons/ })).getByText('Added')).toBeInTheDocument();
    const findings = screen.getByRole('region', { name: 'Findings' });
    const row = within(findings).getByRole('rowheader', { name: 'theme' }).closest('tr')!;
    expect(row.querySelector('del')).toHaveTextContent('Information sharing');
    expect(row.querySelector('ins')).toHaveTextContent('Professional curiosity');
    const recs = screen.getByRole('region', { name: 'Recommendations' });
    expect(within(recs).getByText('Removed')).toBeInTheDocument();
    await user.click(screen.getByLabelText('Show unchanged sections'));
    expect(await screen.findByRole('article', { name: 'Analysis' })).toBeInTheDocument();
  });

  it('exports the comparison as Word with tracked changes to the file chosen', async () => {
    const calls = mock({ diff: DIFF, 'plugin:dialog|save': '/out/changes', export_diff_docx: 2048 });
    render(ReviewPanel);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('tab', { name: 'What changed' }));
    await screen.findByRole('article', { name: /Introduction/ });
    await user.click(screen.getByRole('button', { name: 'Export as Word (tracked changes)…' }));
    await waitFor(() => expect(callsOf(calls, 'export_diff_docx')).toHaveLength(1));
    expect(callsOf(calls, 'export_diff_docx')[0]).toEqual({
      from: { kind: 'draft', draft: 'd2' },
      to: { kind: 'current' },
      path: '/out/changes.docx',
      replace: true,
    });
  });
});

describe('ReviewPanel: packs', () => {
  it('imports a pack and reports merged, updated, unchanged, re-anchored and orphaned with quotes', async () => {
    const report: PackImportReport = {
      made_by: 'Pat Chair',
      merged: 4,
      updated: 1,
      unchanged: 2,
      reanchored: 1,
      orphaned: [{ comment_id: 'c7', quote: 'seen at home on 3 May' }],
      skipped: [],
      records_replaced: 0,
    };
    const calls = mock({ 'plugin:dialog|open': '/in/chair.json', import_pack: report });
    render(ReviewPanel);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Import comments…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Comments imported' });
    expect(callsOf(calls, 'import_pack')).toEqual([{ path: '/in/chair.json' }]);
    const count = (k: string) => dialog.querySelector(`[data-count="${k}"]`)!.textContent;
    expect([count('merged'), count('updated'), count('unchanged'), count('reanchored'), count('orphaned')]).toEqual([
      '4',
      '1',
      '2',
      '1',
      '1',
    ]);
    const orphans = within(dialog).getByRole('list', { name: 'Orphaned comments' });
    expect(orphans).toHaveTextContent('“seen at home on 3 May”');
    expect(within(orphans).getByText('Orphaned')).toBeInTheDocument();
  });

  it('returns the chair’s comments to the file chosen, and says a pack never replaces a file', async () => {
    let refuse = false;
    const calls = mock({
      'plugin:dialog|save': '/out/comments',
      return_pack: (args) => {
        if (refuse) throw { code: 'already_exists', message: 'already exists' };
        return { path: args.out, bytes: 900, comments: 3, approvals: 2 };
      },
    });
    render(ReviewPanel);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Return comments…' }));
    await waitFor(() => expect(callsOf(calls, 'return_pack')).toEqual([{ out: '/out/comments.json' }]));
    expect(await screen.findByText(/Wrote your comments to comments\.json: 3 comments and 2 approvals/)).toBeInTheDocument();
    refuse = true;
    await user.click(screen.getByRole('button', { name: 'Return comments…' }));
    await waitFor(() => expect(review.toasts.some((t) => t.text.includes('never replaces another file'))).toBe(true));
  });
});

describe('ReviewPanel: comments list', () => {
  it('filters by person, state and section, and never hides orphaned threads', async () => {
    const orphan = thread('c2', { anchor: { exact: 'seen at home', prefix: '', suffix: '' }, body: 'Where?' });
    const replied = thread('c3', {
      author: 'Alison Greaves',
      role: 'author',
      target_id: 's2',
      body: 'Added.',
      replies: [{ ...thread('c4'), parent_id: 'c3', body: 'Thanks.' }],
    });
    const calls = mock({
      comments: (args) => {
        const f = args.filter as { author?: string; resolved?: boolean; target_id?: string };
        return [orphan, replied].filter(
          (t) => (!f.target_id || t.target_id === f.target_id) && (f.resolved === undefined || t.resolved === f.resolved),
        );
      },
      comment_positions: (args) => (args.sectionId === 's1' ? [{ comment: orphan, place: { state: 'orphaned' } }] : []),
    });
    render(ReviewPanel);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('tab', { name: 'Comments' }));
    const list = await screen.findByText('Where?');
    const card = list.closest('article')!;
    expect(within(card).getByText('Orphaned')).toBeInTheDocument();
    expect(card).toHaveTextContent('“seen at home”');
    expect(card).toHaveTextContent('on “Introduction”');
    expect(screen.getByText('Thanks.')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('2 threads, 1 orphaned');
    await user.selectOptions(screen.getByLabelText('Section'), 's2');
    await waitFor(() => expect(screen.queryByText('Where?')).toBeNull());
    await user.selectOptions(screen.getByLabelText('Person'), 'Pat Chair');
    await user.selectOptions(screen.getByLabelText('State'), 'all');
    const filters = callsOf(calls, 'comments').map((a) => a.filter);
    expect(filters).toContainEqual({ target_kind: 'section', target_id: 's2', resolved: false });
    expect(filters).toContainEqual({ author: 'Pat Chair', target_kind: 'section', target_id: 's2' });
  });

  it('resolves a thread through an undoable edit', async () => {
    const calls = mock({
      comments: [thread('c1')],
      resolve_comment: () => thread('c1', { resolved: true }),
    });
    render(ReviewPanel);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('tab', { name: 'Comments' }));
    const revision = review.revision;
    await user.click(await screen.findByRole('button', { name: "Resolve Pat Chair's comment" }));
    await waitFor(() => expect(callsOf(calls, 'resolve_comment')).toEqual([{ id: 'c1', resolved: true }]));
    // Through review.edit(): the panels reload and the toast says what was done.
    await waitFor(() => expect(review.revision).toBeGreaterThan(revision));
    expect(review.toasts.map((t) => t.text)).toContain('Comment resolved');
  });
});
