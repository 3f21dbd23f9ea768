//! How citations, footnote references and live blocks look in the editor. Everything shown is
//! built as DOM text (never HTML), so nothing from the review is interpreted as markup.
//!
//! A citation shows its live number from the last render of the document ("[3]"), or "[…]"
//! until the first one arrives, and "missing" styling when the record is gone. Hovering it or
//! selecting it (arrow keys) shows what it cites. A live block is a card the author cannot
//! type into, showing the block's current content as text.

import type { Node as PMNode } from 'prosemirror-model';
import type { EditorView, NodeView } from 'prosemirror-view';
import type { Block, Inline } from '../../lib/types';
import { liveBlockLabel } from './schema';

/** What a citation shows: its number and what it cites. */
export interface CitationInfo {
  number: number;
  label: string;
  detail: string;
  missing: boolean;
}

/** Looks up citations' numbers and live blocks' content for the views. */
export interface EditorData {
  citation(kind: string, id: string): CitationInfo | undefined;
  /** A live block's current content; `undefined` while loading, `null` for an unknown name. */
  liveBlock(name: string): Block[] | null | undefined;
  /**
   * A finding or recommendation as the report sets it out when a paragraph holds only its
   * citation ("F7 The history was not used"); `null` when the record does not exist,
   * `undefined` when not known (yet).
   */
  fullText(kind: string, id: string): string | null | undefined;
}

/** The words a kind is called by, in tooltips and names. */
export const KIND_NAMES: Record<string, string> = {
  finding: 'Finding',
  excerpt: 'Excerpt',
  chronology: 'Chronology entry',
  recommendation: 'Recommendation',
  paragraph: 'Source paragraph',
  tor: 'Term of reference',
  source: 'Source',
};

/** What a citation says to a screen reader and in its tooltip. */
export function citationText(kind: string, info: CitationInfo | undefined): { mark: string; tip: string } {
  const kindName = KIND_NAMES[kind] ?? kind;
  if (!info) return { mark: '[…]', tip: `${kindName} (number not known yet)` };
  if (info.missing) return { mark: `[${info.number}?]`, tip: `${kindName} no longer exists` };
  const detail = info.detail ? ` — ${info.detail}` : '';
  return { mark: `[${info.number}]`, tip: `${info.label}${detail}` };
}

/** Kinds the core sets out in full when a paragraph holds nothing but their citation. */
const EMBEDDED_KINDS = new Set(['finding', 'recommendation']);

class CitationView implements NodeView {
  dom: HTMLElement;
  #mark: HTMLElement;
  #tip: HTMLElement;
  #full: HTMLElement;
  #node: PMNode;
  #views: Set<CitationView>;
  #data: EditorData;
  #alone: () => boolean;

  constructor(node: PMNode, data: EditorData, views: Set<CitationView>, alone: () => boolean) {
    this.#node = node;
    this.#data = data;
    this.#views = views;
    this.#alone = alone;
    this.dom = document.createElement('span');
    this.dom.className = 'citation';
    this.dom.dataset.kind = node.attrs.kind;
    this.dom.dataset.citation = node.attrs.id;
    this.#mark = document.createElement('span');
    this.#mark.className = 'citation-mark';
    this.#tip = document.createElement('span');
    this.#tip.className = 'citation-tip';
    this.#tip.setAttribute('role', 'tooltip');
    this.#full = document.createElement('span');
    this.#full.className = 'citation-full';
    this.dom.append(this.#mark, this.#full, this.#tip);
    views.add(this);
    this.refresh();
  }

  /** Shows the current number and words. */
  refresh(): void {
    const info = this.#data.citation(this.#node.attrs.kind, this.#node.attrs.id);
    const { mark, tip } = citationText(this.#node.attrs.kind, info);
    if (this.#mark.textContent !== mark) this.#mark.textContent = mark;
    if (this.#tip.textContent !== tip) this.#tip.textContent = tip;
    this.dom.classList.toggle('missing', !!info?.missing);
    this.dom.setAttribute('aria-label', `Citation ${mark}: ${tip}`);
    // Alone in its paragraph, a finding or recommendation is set out in full in the report,
    // with no number (src/report/markdown.rs `embedded`): show it that way here too.
    const full = EMBEDDED_KINDS.has(this.#node.attrs.kind) && this.#alone()
      ? this.#data.fullText(this.#node.attrs.kind, this.#node.attrs.id)
      : null;
    const embedded = typeof full === 'string';
    this.dom.classList.toggle('embedded', embedded);
    if (embedded) {
      this.dom.classList.remove('missing');
      this.dom.setAttribute('aria-label', `${KIND_NAMES[this.#node.attrs.kind]} set out in full: ${full}`);
      if (this.#tip.textContent !== full) this.#tip.textContent = full;
    }
    const shown = embedded ? full : '';
    if (this.#full.textContent !== shown) this.#full.textContent = shown;
  }

  update(node: PMNode): boolean {
    if (node.type !== this.#node.type || node.attrs.kind !== this.#node.attrs.kind || node.attrs.id !== this.#node.attrs.id) {
      return false;
    }
    this.#node = node;
    // Its paragraph may have gained or lost other content.
    this.refresh();
    return true;
  }

  selectNode(): void {
    this.dom.classList.add('selected');
  }

  deselectNode(): void {
    this.dom.classList.remove('selected');
  }

  stopEvent(): boolean {
    return false;
  }

  ignoreMutation(): boolean {
    return true;
  }

  destroy(): void {
    this.#views.delete(this);
  }
}

/** Appends `inlines` to `el` as text. */
function appendInlines(el: HTMLElement, inlines: Inline[]): void {
  for (const inline of inlines) {
    switch (inline.type) {
      case 'text': {
        let node: HTMLElement | Text = document.createTextNode(inline.text);
        if (inline.italic) {
          const em = document.createElement('em');
          em.append(node);
          node = em;
        }
        if (inline.bold) {
          const strong = document.createElement('strong');
          strong.append(node);
          node = strong;
        }
        el.append(node);
        break;
      }
      case 'break':
        el.append(document.createElement('br'));
        break;
      case 'citation':
        el.append(document.createTextNode(`[${inline.number}]`));
        break;
      case 'note':
        el.append(document.createTextNode(`(${inline.number})`));
        break;
    }
  }
}

/** Builds rendered blocks as DOM, text only. */
export function renderBlocks(blocks: Block[], into: HTMLElement): void {
  for (const block of blocks) {
    switch (block.type) {
      case 'heading': {
        const h = document.createElement('p');
        h.className = `live-heading level-${block.level}`;
        appendInlines(h, block.content);
        into.append(h);
        break;
      }
      case 'paragraph': {
        const p = document.createElement('p');
        appendInlines(p, block.content);
        into.append(p);
        break;
      }
      case 'list': {
        const list = document.createElement(block.ordered ? 'ol' : 'ul');
        if (block.ordered && block.start !== 1) list.setAttribute('start', String(block.start));
        for (const item of block.items) {
          const li = document.createElement('li');
          renderBlocks(item, li);
          list.append(li);
        }
        into.append(list);
        break;
      }
      case 'quote': {
        const q = document.createElement('blockquote');
        renderBlocks(block.blocks, q);
        into.append(q);
        break;
      }
      case 'table': {
        const table = document.createElement('table');
        const head = document.createElement('tr');
        for (const cell of block.header) {
          const th = document.createElement('th');
          th.setAttribute('scope', 'col');
          appendInlines(th, cell);
          head.append(th);
        }
        const thead = document.createElement('thead');
        thead.append(head);
        const tbody = document.createElement('tbody');
        for (const row of block.rows) {
          const tr = document.createElement('tr');
          for (const cell of row) {
            const td = document.createElement('td');
            appendInlines(td, cell);
            tr.append(td);
          }
          tbody.append(tr);
        }
        table.append(thead, tbody);
        into.append(table);
        break;
      }
      case 'numbered': {
        const list = document.createElement('div');
        list.className = 'live-numbered';
        for (const item of block.items) {
          const p = document.createElement('p');
          const label = document.createElement('strong');
          label.textContent = `${item.label} `;
          p.append(label);
          appendInlines(p, item.content);
          if (item.detail.length > 0) {
            const detail = document.createElement('span');
            detail.className = 'live-detail';
            detail.append(document.createElement('br'));
            appendInlines(detail, item.detail);
            p.append(detail);
          }
          list.append(p);
        }
        into.append(list);
        break;
      }
      case 'rule':
        into.append(document.createElement('hr'));
        break;
    }
  }
}

class LiveBlockView implements NodeView {
  dom: HTMLElement;
  #body: HTMLElement;
  #node: PMNode;
  #data: EditorData;
  #views: Set<LiveBlockView>;
  #shown: Block[] | null | undefined = undefined;
  #first = true;

  constructor(node: PMNode, data: EditorData, views: Set<LiveBlockView>) {
    this.#node = node;
    this.#data = data;
    this.#views = views;
    this.dom = document.createElement('div');
    this.dom.className = 'live-block';
    this.dom.contentEditable = 'false';
    this.dom.dataset.liveBlock = node.attrs.name;
    const head = document.createElement('div');
    head.className = 'live-block-head';
    head.textContent = `Live block: ${liveBlockLabel(node.attrs.name)} (always shows current data)`;
    this.#body = document.createElement('div');
    this.#body.className = 'live-block-body';
    this.dom.setAttribute('role', 'group');
    this.dom.setAttribute('aria-label', `Live block: ${liveBlockLabel(node.attrs.name)}`);
    this.dom.append(head, this.#body);
    views.add(this);
    this.refresh();
  }

  refresh(): void {
    const blocks = this.#data.liveBlock(this.#node.attrs.name);
    if (!this.#first && blocks === this.#shown) return;
    this.#first = false;
    this.#shown = blocks;
    this.#body.replaceChildren();
    if (blocks === undefined) {
      this.#body.textContent = 'Loading…';
    } else if (blocks === null) {
      this.#body.textContent = `“${this.#node.attrs.name}” is not a live block; it will show as written.`;
      this.dom.classList.add('missing');
    } else if (blocks.length === 0) {
      this.#body.textContent = 'Nothing recorded yet.';
    } else {
      renderBlocks(blocks, this.#body);
    }
  }

  update(node: PMNode): boolean {
    if (node.type !== this.#node.type || node.attrs.name !== this.#node.attrs.name) return false;
    this.#node = node;
    return true;
  }

  selectNode(): void {
    this.dom.classList.add('selected');
  }

  deselectNode(): void {
    this.dom.classList.remove('selected');
  }

  stopEvent(): boolean {
    return false;
  }

  ignoreMutation(): boolean {
    return true;
  }

  destroy(): void {
    this.#views.delete(this);
  }
}

/** The node views, and a way to refresh them all when numbers or live blocks change. */
export function makeViews(data: EditorData) {
  const citations = new Set<CitationView>();
  const blocks = new Set<LiveBlockView>();
  return {
    nodeViews: {
      citation: (node: PMNode, view: EditorView, getPos: () => number | undefined) =>
        new CitationView(node, data, citations, () => {
          const pos = getPos();
          if (pos === undefined || pos > view.state.doc.content.size) return false;
          const parent = view.state.doc.resolve(pos).parent;
          return parent.type.name === 'paragraph' && parent.childCount === 1;
        }),
      live_block: (node: PMNode) => new LiveBlockView(node, data, blocks),
    } as Record<string, (node: PMNode, view: EditorView, getPos: () => number | undefined) => NodeView>,
    refresh(): void {
      for (const v of citations) v.refresh();
      for (const v of blocks) v.refresh();
    },
  };
}
