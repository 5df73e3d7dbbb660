/** ICU messages as the tests read them: the arguments a message names, and the words it prints itself. */
import { IntlMessageFormat } from 'intl-messageformat';

interface AstNode {
  value?: unknown;
  options?: Record<string, { value: AstNode[] }>;
  children?: AstNode[];
}

/** The argument names of an ICU message (plural and select branches included), sorted. */
export function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (nodes: readonly AstNode[]): void => {
    for (const node of nodes) {
      // Literals carry their text in `value` too, but no options: only arguments (and #) are named by a plain identifier there.
      if (typeof node.value === 'string' && (node as { type?: number }).type !== 0) names.add(node.value);
      for (const option of Object.values(node.options ?? {})) walk(option.value);
      walk(node.children ?? []);
    }
  };
  walk(new IntlMessageFormat(message, 'en', undefined, { ignoreTag: true }).getAst() as unknown as AstNode[]);
  return [...names].sort();
}

/** The words a message prints itself, plural and select branches included, without its argument names. */
export function literalText(message: string): string {
  return literalParts(message).join(' ');
}

/** The runs of text a message prints itself, each as written between its arguments. */
export function literalParts(message: string): string[] {
  const parts: string[] = [];
  const walk = (nodes: readonly AstNode[]): void => {
    for (const node of nodes) {
      if ((node as { type?: number }).type === 0 && typeof node.value === 'string') parts.push(node.value);
      for (const option of Object.values(node.options ?? {})) walk(option.value);
      walk(node.children ?? []);
    }
  };
  walk(new IntlMessageFormat(message, 'en', undefined, { ignoreTag: true }).getAst() as unknown as AstNode[]);
  return parts;
}
