//! What the editor shows against what the core renders from the same stored Markdown: the
//! demo fixture holds each section's body and the document the real core rendered from it
//! (ui/e2e/fixtures/regenerate.sh), so the two readings are compared block by block, word by
//! word, with every citation's number.

import { describe, expect, it } from 'vitest';
import type { Node as PMNode } from 'prosemirror-model';
import type { Block, Inline, RenderedDocument, Section } from '../../lib/types';
import { fullTextIndex } from '../../panels/report/report';
import { parseMarkdown } from './markdown';

interface Fixture {
  sections: Record<string, Section[]>;
  rendered: Record<string, RenderedDocument>;
}

/** A block reduced to what a reader sees: its kind, words and citation numbers. */
type Seen =
  | { type: 'heading'; level: number; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'list'; ordered: boolean; items: Seen[][] }
  | { type: 'quote'; blocks: Seen[] };

function coreInlines(inlines: Inline[]): string {
  return inlines
    .map((i) => (i.type === 'text' ? i.text : i.type === 'break' ? '\n' : i.type === 'citation' ? `[${i.number}]` : `(${i.number})`))
    .join('');
}

function coreBlocks(blocks: Block[]): Seen[] {
  return blocks.map((b): Seen => {
    switch (b.type) {
      case 'heading':
        return { type: 'heading', level: b.level, text: coreInlines(b.content) };
      case 'paragraph':
        return { type: 'paragraph', text: coreInlines(b.content) };
      case 'list':
        return { type: 'list', ordered: b.ordered, items: b.items.map(coreBlocks) };
      case 'quote':
        return { type: 'quote', blocks: coreBlocks(b.blocks) };
      default:
        throw new Error(`the demo has no ${b.type} block`);
    }
  });
}

function editorInlines(node: PMNode, numbers: Map<string, number>): string {
  let text = '';
  node.forEach((child) => {
    if (child.isText) text += child.text;
    else if (child.type.name === 'citation') text += `[${numbers.get(`${child.attrs.kind}:${child.attrs.id}`)}]`;
    else if (child.type.name === 'hard_break') text += '\n';
  });
  return text;
}

/** How the editor shows a finding or recommendation cited alone in a paragraph: in full,
 * with the text the Report panel gives its views (`fullTextIndex`). */
function embedded(node: PMNode, fullText: Map<string, string>): Seen | null {
  if (node.childCount !== 1) return null;
  const c = node.firstChild!;
  if (c.type.name !== 'citation' || !['finding', 'recommendation'].includes(c.attrs.kind)) return null;
  const text = fullText.get(`${c.attrs.kind}:${c.attrs.id}`);
  return text === undefined ? null : { type: 'quote', blocks: [{ type: 'paragraph', text }] };
}

function editorBlocks(parent: PMNode, numbers: Map<string, number>, fullText: Map<string, string>): Seen[] {
  const out: Seen[] = [];
  parent.forEach((node) => {
    switch (node.type.name) {
      case 'heading':
        out.push({ type: 'heading', level: node.attrs.level, text: editorInlines(node, numbers) });
        break;
      case 'paragraph':
        out.push(embedded(node, fullText) ?? { type: 'paragraph', text: editorInlines(node, numbers) });
        break;
      case 'bullet_list':
      case 'ordered_list': {
        const items: Seen[][] = [];
        node.forEach((item) => items.push(editorBlocks(item, numbers, fullText)));
        out.push({ type: 'list', ordered: node.type.name === 'ordered_list', items });
        break;
      }
      case 'blockquote':
        out.push({ type: 'quote', blocks: editorBlocks(node, numbers, fullText) });
        break;
      default:
        throw new Error(`the demo has no ${node.type.name} in the editor`);
    }
  });
  return out;
}

describe('the editor against the core’s render of the demo', async () => {
  const fixture = (await import('../../../e2e/fixtures/demo.json')).default as unknown as Fixture & {
    findings: { id: string; number: number; statement: string }[];
    recommendations: { id: string; number: number; text: string }[];
  };
  // As ReportPanel builds it from the findings and recommendations lists.
  const fullText = fullTextIndex(fixture.findings, fixture.recommendations);

  for (const document of ['overview', 'summary']) {
    it(`shows every ${document} section as the core renders it, numbers included`, () => {
      const rendered = fixture.rendered[document];
      const numbers = new Map(rendered.citations.map((c) => [`${c.kind}:${c.id}`, c.number]));
      const sections = fixture.sections[document];
      expect(sections.length).toBeGreaterThan(3);
      expect(rendered.citations.length).toBeGreaterThan(5);
      sections.forEach((section, i) => {
        const core = rendered.sections[i];
        expect(core.id).toBe(section.id);
        const shown = editorBlocks(parseMarkdown(section.body), numbers, fullText);
        expect(shown, section.heading).toEqual(coreBlocks(core.blocks));
      });
    });
  }
});
