//! The report editor's document model: what a section body can hold, as ProseMirror nodes and
//! marks. It mirrors what the core renders from a body (src/report/markdown.rs): headings at two
//! levels (the section's own heading is the level above), paragraphs, bold, italic, bulleted
//! and numbered lists, block quotes, the author's footnotes, citations and live blocks. Links,
//! code, rules and tables are kept so that a body written elsewhere loses nothing.

import { Schema, type DOMOutputSpec, type Node as PMNode } from 'prosemirror-model';

/** The citation kinds a token may name, spelled as the core spells them. */
export const CITATION_KINDS = [
  'finding',
  'excerpt',
  'chronology',
  'recommendation',
  'paragraph',
  'tor',
  'source',
] as const;
export type CitationKindName = (typeof CITATION_KINDS)[number];

/** The live blocks the core fills in (src/report/live.rs `LIVE_BLOCKS`). */
export const LIVE_BLOCKS = ['tor', 'panel', 'agencies', 'recommendations', 'themes'] as const;

/** Each live block's name for people. */
export const LIVE_BLOCK_LABELS: Record<string, string> = {
  tor: 'Terms of reference',
  panel: 'Panel membership',
  agencies: 'Agencies and IMRs',
  recommendations: 'Recommendations by origin',
  themes: 'Themes and findings',
};

export function liveBlockLabel(name: string): string {
  return LIVE_BLOCK_LABELS[name] ?? `Unknown live block “${name}”`;
}

/** Heading levels inside a section: 2 and 3 (the core folds 1 into 2 and 4–6 into 3). */
export function headingLevel(markdownLevel: number): 2 | 3 {
  return markdownLevel <= 2 ? 2 : 3;
}

export const schema = new Schema({
  nodes: {
    doc: { content: 'block+' },
    paragraph: {
      content: 'inline*',
      group: 'block',
      parseDOM: [{ tag: 'p' }],
      toDOM: (): DOMOutputSpec => ['p', 0],
    },
    heading: {
      attrs: { level: { default: 2 } },
      content: 'inline*',
      group: 'block',
      defining: true,
      parseDOM: [
        { tag: 'h1', attrs: { level: 2 } },
        { tag: 'h2', attrs: { level: 2 } },
        { tag: 'h3', attrs: { level: 3 } },
        { tag: 'h4', attrs: { level: 3 } },
      ],
      // One level below the panel's own headings, so the page outline stays in order.
      toDOM: (node): DOMOutputSpec => [`h${Number(node.attrs.level) + 1}`, { 'data-level': node.attrs.level }, 0],
    },
    blockquote: {
      content: 'block+',
      group: 'block',
      defining: true,
      parseDOM: [{ tag: 'blockquote' }],
      toDOM: (): DOMOutputSpec => ['blockquote', 0],
    },
    bullet_list: {
      content: 'list_item+',
      group: 'block',
      attrs: { tight: { default: true } },
      parseDOM: [{ tag: 'ul' }],
      toDOM: (): DOMOutputSpec => ['ul', 0],
    },
    ordered_list: {
      content: 'list_item+',
      group: 'block',
      attrs: { order: { default: 1 }, tight: { default: true } },
      parseDOM: [
        {
          tag: 'ol',
          getAttrs: (dom) => ({
            order: (dom as HTMLElement).hasAttribute('start')
              ? Number((dom as HTMLElement).getAttribute('start'))
              : 1,
          }),
        },
      ],
      toDOM: (node): DOMOutputSpec => ['ol', node.attrs.order === 1 ? {} : { start: node.attrs.order }, 0],
    },
    list_item: {
      content: 'block+',
      defining: true,
      parseDOM: [{ tag: 'li' }],
      toDOM: (): DOMOutputSpec => ['li', 0],
    },
    code_block: {
      content: 'text*',
      group: 'block',
      code: true,
      defining: true,
      marks: '',
      attrs: { params: { default: '' } },
      parseDOM: [{ tag: 'pre', preserveWhitespace: 'full' }],
      toDOM: (): DOMOutputSpec => ['pre', ['code', 0]],
    },
    horizontal_rule: {
      group: 'block',
      parseDOM: [{ tag: 'hr' }],
      toDOM: (): DOMOutputSpec => ['hr'],
    },
    /** A live block: a line `[[block:NAME]]` that the core fills from current data. */
    live_block: {
      group: 'block',
      atom: true,
      selectable: true,
      draggable: false,
      attrs: { name: { default: 'tor' } },
      parseDOM: [
        {
          tag: 'div[data-live-block]',
          getAttrs: (dom) => ({ name: (dom as HTMLElement).getAttribute('data-live-block') }),
        },
      ],
      toDOM: (node): DOMOutputSpec => [
        'div',
        { 'data-live-block': node.attrs.name, class: 'live-block' },
        liveBlockLabel(node.attrs.name),
      ],
    },
    /** Markdown the editor shows but does not edit (a table): kept exactly as written. */
    raw_block: {
      group: 'block',
      atom: true,
      attrs: { source: { default: '' } },
      toDOM: (node): DOMOutputSpec => ['pre', { class: 'raw-block' }, node.attrs.source],
    },
    /** One of the author's footnotes: `[^label]: text`. */
    footnote_def: {
      content: 'block+',
      group: 'block',
      defining: true,
      isolating: true,
      attrs: { label: { default: '1' } },
      toDOM: (node): DOMOutputSpec => [
        'div',
        { class: 'footnote-def', 'data-footnote': node.attrs.label },
        0,
      ],
    },
    text: { group: 'inline' },
    /** A citation token `[[kind:id]]`; shown as its live number. */
    citation: {
      inline: true,
      group: 'inline',
      atom: true,
      selectable: true,
      draggable: false,
      attrs: { kind: { default: 'finding' }, id: { default: '' } },
      parseDOM: [
        {
          tag: 'span[data-citation]',
          getAttrs: (dom) => {
            const el = dom as HTMLElement;
            return { kind: el.getAttribute('data-kind'), id: el.getAttribute('data-citation') };
          },
        },
      ],
      toDOM: (node): DOMOutputSpec => [
        'span',
        { 'data-citation': node.attrs.id, 'data-kind': node.attrs.kind, class: 'citation' },
        '[?]',
      ],
    },
    /** A reference to one of the author's footnotes: `[^label]`. */
    footnote_ref: {
      inline: true,
      group: 'inline',
      atom: true,
      selectable: true,
      attrs: { label: { default: '1' } },
      parseDOM: [
        {
          tag: 'sup[data-footnote-ref]',
          getAttrs: (dom) => ({ label: (dom as HTMLElement).getAttribute('data-footnote-ref') }),
        },
      ],
      toDOM: (node): DOMOutputSpec => [
        'sup',
        { 'data-footnote-ref': node.attrs.label, class: 'footnote-ref' },
        node.attrs.label,
      ],
    },
    image: {
      inline: true,
      group: 'inline',
      attrs: { src: {}, alt: { default: null }, title: { default: null } },
      // Shown as its words, never loaded: the webview fetches nothing a body names.
      toDOM: (node): DOMOutputSpec => ['span', { class: 'image-text' }, `[${node.attrs.alt ?? ''}]`],
    },
    hard_break: {
      inline: true,
      group: 'inline',
      selectable: false,
      parseDOM: [{ tag: 'br' }],
      toDOM: (): DOMOutputSpec => ['br'],
    },
  },
  marks: {
    em: {
      parseDOM: [{ tag: 'i' }, { tag: 'em' }, { style: 'font-style=italic' }],
      toDOM: (): DOMOutputSpec => ['em', 0],
    },
    strong: {
      parseDOM: [{ tag: 'strong' }, { tag: 'b' }],
      toDOM: (): DOMOutputSpec => ['strong', 0],
    },
    link: {
      attrs: { href: {}, title: { default: null } },
      inclusive: false,
      // Shown as underlined words, not a live link: nothing in a body navigates the webview.
      toDOM: (mark): DOMOutputSpec => ['span', { class: 'link-text', title: mark.attrs.href }, 0],
    },
    code: {
      code: true,
      parseDOM: [{ tag: 'code' }],
      toDOM: (): DOMOutputSpec => ['code', 0],
    },
  },
});

/** The citations in a document, in order, as `kind:id` keys. */
export function citationKeys(doc: PMNode): string[] {
  const keys: string[] = [];
  doc.descendants((node) => {
    if (node.type === schema.nodes.citation) keys.push(`${node.attrs.kind}:${node.attrs.id}`);
    return true;
  });
  return keys;
}
