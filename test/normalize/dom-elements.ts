import type { ChildNode, Element } from 'domhandler';

/** Lists every element of a parsed document, depth first (script and style count as elements). */
export function elements(nodes: readonly ChildNode[], out: Element[] = []): Element[] {
  for (const node of nodes) {
    if (node.type === 'tag' || node.type === 'script' || node.type === 'style') {
      out.push(node);
      elements(node.children, out);
    }
  }
  return out;
}
