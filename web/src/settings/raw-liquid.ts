import { mergeAttributes, Node } from '@tiptap/core';
import { decodeRaw, rawLabel } from './liquid-html.ts';

/** A piece of the template the visual editor keeps as it is: shown as a chip, moved or deleted whole, never edited. */
function rawNode(name: string, inline: boolean) {
  return Node.create({
    name,
    group: inline ? 'inline' : 'block',
    inline,
    atom: true,
    selectable: true,
    addAttributes() {
      return {
        raw: {
          default: '',
          parseHTML: (element: HTMLElement) => element.getAttribute('data-raw') ?? '',
          renderHTML: (attributes: { raw: string }) => ({ 'data-raw': attributes.raw }),
        },
      };
    },
    parseHTML() {
      return [{ tag: `${inline ? 'span' : 'div'}[data-raw]` }];
    },
    renderHTML({ HTMLAttributes }) {
      return [inline ? 'span' : 'div', mergeAttributes(HTMLAttributes)];
    },
    addNodeView() {
      return ({ node }) => {
        const dom = document.createElement(inline ? 'span' : 'div');
        dom.className = 'liquid-raw';
        dom.contentEditable = 'false';
        dom.textContent = rawLabel(decodeRaw(String(node.attrs.raw)));
        dom.title = decodeRaw(String(node.attrs.raw));
        return { dom };
      };
    },
  });
}

export const RawBlock = rawNode('rawBlock', false);
export const RawInline = rawNode('rawInline', true);
