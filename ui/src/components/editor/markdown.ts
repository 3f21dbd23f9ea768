//! A section body between its stored Markdown and the editor's document.
//!
//! Parsing uses markdown-it (CommonMark plus tables, as the core's pulldown-cmark is set up)
//! with three rules of ours that read what the core reads:
//! - a citation token `[[kind:uuid]]` (kinds and id form as src/model/sections.rs accepts);
//! - a line holding only `[[block:NAME]]`, a live block, which may interrupt a paragraph;
//! - the author's footnotes: `[^label]` where a definition `[^label]: text` exists, and the
//!   definitions themselves, kept where they are written.
//! A table is kept as its source lines (the editor shows it, does not edit it).
//!
//! Serializing writes those back; text is escaped so that nothing typed becomes a token or
//! markup by accident. `toMarkdown(parse(md))` is stable, and `parse(toMarkdown(doc))` equals
//! `doc` for every document the editor can make (see markdown.test.ts).

import MarkdownIt from 'markdown-it';
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';
import type Token from 'markdown-it/lib/token.mjs';
import {
  MarkdownParser,
  MarkdownSerializer,
  type MarkdownSerializerState,
} from 'prosemirror-markdown';
import type { Node as PMNode, Mark } from 'prosemirror-model';
import { CITATION_KINDS, headingLevel, schema } from './schema';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The kind and id inside a citation token, or `null` when the core would not accept it. */
export function readCitation(inner: string): { kind: string; id: string } | null {
  const colon = inner.indexOf(':');
  if (colon < 0) return null;
  const kind = inner.slice(0, colon).trim().toLowerCase();
  const id = inner.slice(colon + 1).trim();
  if (!(CITATION_KINDS as readonly string[]).includes(kind)) return null;
  return UUID.test(id) ? { kind, id } : null;
}

/** The live block named by a line holding only `[[block:NAME]]`, as the core reads it. */
export function readBlockLine(line: string): string | null {
  const t = line.trim();
  if (!t.startsWith('[[') || !t.endsWith(']]') || t.length < 4) return null;
  const inner = t.slice(2, -2);
  const colon = inner.indexOf(':');
  if (colon < 0 || inner.includes('[[') || inner.includes(']]')) return null;
  if (inner.slice(0, colon).trim().toLowerCase() !== 'block') return null;
  return inner.slice(colon + 1).trim().toLowerCase();
}

function citationRule(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src.charCodeAt(start) !== 0x5b || src.charCodeAt(start + 1) !== 0x5b) return false;
  const close = src.indexOf(']]', start + 2);
  if (close < 0 || close >= state.posMax) return false;
  const inner = src.slice(start + 2, close);
  if (inner.includes('\n') || inner.includes('[[')) return false;
  const cited = readCitation(inner);
  if (!cited) return false;
  if (!silent) {
    const token = state.push('citation', '', 0);
    token.meta = cited;
  }
  state.pos = close + 2;
  return true;
}

function liveBlockRule(state: StateBlock, startLine: number, _end: number, silent: boolean): boolean {
  const from = state.bMarks[startLine] + state.tShift[startLine];
  const line = state.src.slice(from, state.eMarks[startLine]);
  const name = readBlockLine(line);
  if (name === null) return false;
  if (silent) return true;
  const token = state.push('live_block', '', 0);
  token.meta = { name };
  token.map = [startLine, startLine + 1];
  state.line = startLine + 1;
  return true;
}

/** Definitions are collected on a first pass, so references know which labels exist. */
function footnoteLabels(src: string): Set<string> {
  const labels = new Set<string>();
  for (const m of src.matchAll(/^[ \t>]*(?:[-*+]|\d+[.)])?[ \t]*\[\^([^\]\s]+)\]:/gm)) labels.add(m[1]);
  return labels;
}

function footnoteDefRule(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const start = state.bMarks[startLine] + state.tShift[startLine];
  const max = state.eMarks[startLine];
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const m = /^\[\^([^\]\s]+)\]:/.exec(state.src.slice(start, max));
  if (!m) return false;
  if (silent) return true;
  const label = m[1];
  let pos = start + m[0].length;

  const open = state.push('footnote_def_open', '', 1);
  open.meta = { label };
  open.map = [startLine, startLine];

  const oldBMark = state.bMarks[startLine];
  const oldTShift = state.tShift[startLine];
  const oldSCount = state.sCount[startLine];
  const oldParent = state.parentType;
  const afterColon = pos;
  const initial = state.sCount[startLine] + pos - (state.bMarks[startLine] + state.tShift[startLine]);
  let offset = initial;
  while (pos < max) {
    const ch = state.src.charCodeAt(pos);
    if (ch === 0x09) offset += 4 - (offset % 4);
    else if (ch === 0x20) offset++;
    else break;
    pos++;
  }
  state.tShift[startLine] = pos - afterColon;
  state.sCount[startLine] = offset - initial;
  state.bMarks[startLine] = afterColon;
  state.blkIndent += 4;
  // Typed as a closed set in the typings; markdown-it itself accepts any name.
  (state as { parentType: string }).parentType = 'footnote';
  if (state.sCount[startLine] < state.blkIndent) state.sCount[startLine] += state.blkIndent;

  state.md.block.tokenize(state, startLine, endLine);

  state.parentType = oldParent;
  state.blkIndent -= 4;
  state.tShift[startLine] = oldTShift;
  state.sCount[startLine] = oldSCount;
  state.bMarks[startLine] = oldBMark;

  state.push('footnote_def_close', '', -1);
  return true;
}

function footnoteRefRule(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src.charCodeAt(start) !== 0x5b || src.charCodeAt(start + 1) !== 0x5e) return false;
  const m = /^\[\^([^\]\s]+)\]/.exec(src.slice(start, state.posMax));
  if (!m) return false;
  const labels = (state.env as { footnoteLabels?: Set<string> }).footnoteLabels;
  if (!labels?.has(m[1])) return false;
  if (!silent) {
    const token = state.push('footnote_ref', '', 0);
    token.meta = { label: m[1] };
  }
  state.pos = start + m[0].length;
  return true;
}

/** Replaces each table's tokens by one `raw_block` token holding its source lines. */
function keepTables(state: StateCore): void {
  const lines = state.src.split('\n');
  const out: Token[] = [];
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== 'table_open') {
      out.push(t);
      continue;
    }
    let j = i;
    while (j < tokens.length && !(tokens[j].type === 'table_close' && tokens[j].level === t.level)) j++;
    const raw = new state.Token('raw_block', '', 0);
    const [from, to] = t.map ?? [0, 0];
    // Inside a container the lines carry its markers; keep only the table's own text.
    raw.content = lines
      .slice(from, to)
      .map((l) => l.trim())
      .join('\n');
    raw.block = true;
    out.push(raw);
    i = j;
  }
  state.tokens = out;
}

function makeTokenizer(): MarkdownIt {
  const md = new MarkdownIt('commonmark', { html: false });
  md.enable('table');
  md.inline.ruler.before('link', 'citation', citationRule);
  md.inline.ruler.before('link', 'footnote_ref', footnoteRefRule);
  md.block.ruler.before('table', 'live_block', liveBlockRule, {
    alt: ['paragraph', 'reference', 'blockquote', 'list'],
  });
  md.block.ruler.before('reference', 'footnote_def', footnoteDefRule, {
    alt: ['paragraph', 'reference'],
  });
  md.core.ruler.after('block', 'keep_tables', keepTables);
  // Footnote labels are known before any inline text is read.
  md.core.ruler.before('block', 'footnote_labels', (state) => {
    (state.env as { footnoteLabels?: Set<string> }).footnoteLabels = footnoteLabels(state.src);
  });
  return md;
}

const tokenizer = makeTokenizer();

function listIsTight(tokens: Token[], i: number): boolean {
  while (++i < tokens.length) if (tokens[i].type !== 'list_item_open') return tokens[i].hidden;
  return false;
}

const parser = new MarkdownParser(schema, tokenizer, {
  blockquote: { block: 'blockquote' },
  paragraph: { block: 'paragraph' },
  list_item: { block: 'list_item' },
  bullet_list: { block: 'bullet_list', getAttrs: (_t, tokens, i) => ({ tight: listIsTight(tokens, i) }) },
  ordered_list: {
    block: 'ordered_list',
    getAttrs: (tok, tokens, i) => ({
      order: Number(tok.attrGet('start') ?? 1),
      tight: listIsTight(tokens, i),
    }),
  },
  heading: { block: 'heading', getAttrs: (tok) => ({ level: headingLevel(Number(tok.tag.slice(1))) }) },
  code_block: { block: 'code_block', noCloseToken: true },
  fence: { block: 'code_block', getAttrs: (tok) => ({ params: tok.info || '' }), noCloseToken: true },
  hr: { node: 'horizontal_rule' },
  image: {
    node: 'image',
    getAttrs: (tok) => ({
      src: tok.attrGet('src'),
      title: tok.attrGet('title') || null,
      alt: (tok.children?.[0] && tok.children[0].content) || null,
    }),
  },
  hardbreak: { node: 'hard_break' },
  em: { mark: 'em' },
  strong: { mark: 'strong' },
  link: {
    mark: 'link',
    getAttrs: (tok) => ({ href: tok.attrGet('href'), title: tok.attrGet('title') || null }),
  },
  code_inline: { mark: 'code', noCloseToken: true },
  citation: { node: 'citation', getAttrs: (tok) => tok.meta, noCloseToken: true },
  live_block: { node: 'live_block', getAttrs: (tok) => tok.meta, noCloseToken: true },
  raw_block: { node: 'raw_block', getAttrs: (tok) => ({ source: tok.content }), noCloseToken: true },
  footnote_ref: { node: 'footnote_ref', getAttrs: (tok) => tok.meta, noCloseToken: true },
  footnote_def: { block: 'footnote_def', getAttrs: (tok) => tok.meta },
});

/** The editor document for a stored body. An empty body is one empty paragraph. */
export function parseMarkdown(body: string): PMNode {
  const doc = parser.parse(body);
  if (doc.childCount === 0) return schema.node('doc', null, [schema.node('paragraph')]);
  return doc;
}

function backticksFor(node: PMNode, side: number): string {
  const ticks = /`+/g;
  let m: RegExpExecArray | null;
  let len = 0;
  if (node.isText) while ((m = ticks.exec(node.text ?? ''))) len = Math.max(len, m[0].length);
  let result = len > 0 && side > 0 ? ' `' : '`';
  for (let i = 0; i < len; i++) result += '`';
  if (len > 0 && side < 0) result += ' ';
  return result;
}

const serializer = new MarkdownSerializer(
  {
    blockquote(state, node) {
      state.wrapBlock('> ', null, node, () => state.renderContent(node));
    },
    code_block(state, node) {
      const backticks = node.textContent.match(/`{3,}/gm);
      const fence = backticks ? backticks.sort().slice(-1)[0] + '`' : '```';
      state.write(fence + (node.attrs.params || '') + '\n');
      state.text(node.textContent, false);
      state.write('\n');
      state.write(fence);
      state.closeBlock(node);
    },
    heading(state, node) {
      state.write(`${'#'.repeat(node.attrs.level)} `);
      state.renderInline(node, false);
      state.closeBlock(node);
    },
    horizontal_rule(state, node) {
      state.write('---');
      state.closeBlock(node);
    },
    bullet_list(state, node) {
      state.renderList(node, '  ', () => '- ');
    },
    ordered_list(state, node) {
      const start = Number(node.attrs.order ?? 1);
      const maxW = String(start + node.childCount - 1).length;
      const space = state.repeat(' ', maxW + 2);
      state.renderList(node, space, (i) => {
        const n = String(start + i);
        return state.repeat(' ', maxW - n.length) + n + '. ';
      });
    },
    list_item(state, node) {
      state.renderContent(node);
    },
    paragraph(state, node) {
      state.renderInline(node);
      state.closeBlock(node);
    },
    live_block(state, node) {
      state.write(`[[block:${node.attrs.name}]]`);
      state.closeBlock(node);
    },
    raw_block(state, node) {
      state.text(String(node.attrs.source), false);
      state.closeBlock(node);
    },
    footnote_def(state, node) {
      state.wrapBlock('    ', `[^${node.attrs.label}]: `, node, () => state.renderContent(node));
    },
    citation(state, node) {
      state.text(`[[${node.attrs.kind}:${node.attrs.id}]]`, false);
    },
    footnote_ref(state, node) {
      state.text(`[^${node.attrs.label}]`, false);
    },
    image(state, node) {
      state.write(
        `![${state.esc(node.attrs.alt || '')}](${String(node.attrs.src).replace(/[()]/g, '\\$&')}` +
          (node.attrs.title ? ` "${String(node.attrs.title).replace(/"/g, '\\"')}"` : '') +
          ')',
      );
    },
    hard_break(state, node, parent, index) {
      for (let i = index + 1; i < parent.childCount; i++) {
        if (parent.child(i).type !== node.type) {
          state.write('\\\n');
          return;
        }
      }
    },
    text(state, node) {
      let text = node.text ?? '';
      const s = state as unknown as { atBlockStart: boolean };
      if (s.atBlockStart) {
        // Spaces that start a block are not shown (and four would make it code).
        text = text.replace(/^[ \t]+/, '');
        // "2) " would start a numbered list; the serializer only guards "2. ".
        const item = /^(\d+)\)/.exec(text);
        if (item) {
          state.text(`${item[1]}\\)`, false);
          s.atBlockStart = false;
          text = text.slice(item[0].length);
        }
      }
      state.text(text, true);
    },
  },
  {
    em: { open: '*', close: '*', mixable: true, expelEnclosingWhitespace: true },
    strong: { open: '**', close: '**', mixable: true, expelEnclosingWhitespace: true },
    link: {
      open: '[',
      close: (_state: MarkdownSerializerState, mark: Mark) =>
        `](${String(mark.attrs.href).replace(/[()"\s]/g, (c) => (c === ' ' ? '%20' : `\\${c}`))}` +
        (mark.attrs.title ? ` "${String(mark.attrs.title).replace(/"/g, '\\"')}"` : '') +
        ')',
    },
    code: {
      open: (_state: MarkdownSerializerState, _mark: Mark, parent: PMNode, index: number) =>
        backticksFor(parent.child(index), -1),
      close: (_state: MarkdownSerializerState, _mark: Mark, parent: PMNode, index: number) =>
        backticksFor(parent.child(index - 1), 1),
      escape: false,
    },
  },
  {
    // Entities, HTML-looking text and table pipes stay text when read back (by us and by
    // the core).
    escapeExtraCharacters: /&(?=#?[A-Za-z0-9]+;)|<(?=[A-Za-z/!?])|\|/g,
    strict: true,
  },
);

/** The stored Markdown for an editor document: no trailing blank lines, one final newline
 * omitted (the core stores bodies as given; an empty document is an empty body). */
export function toMarkdown(doc: PMNode): string {
  return serializer.serialize(doc, { tightLists: true }).replace(/\s+$/, '');
}
