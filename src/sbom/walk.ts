import { isRecord } from '../util/wire.js';

/** One component of an SBOM with the JSON pointer it was found at. */
export interface ComponentEntry {
  component: Record<string, unknown>;
  path: string;
}

/**
 * Every listed component, nested ones included, in document order. Iterative
 * on purpose: an SBOM nested 10,000 deep must not overflow the stack here.
 * `metadata.component` (the product itself) is not a listed component.
 */
export function listComponents(document: unknown): ComponentEntry[] {
  const found: ComponentEntry[] = [];
  const pending: { list: unknown; path: string }[] = [];
  if (isRecord(document)) pending.push({ list: document.components, path: '/components' });
  while (pending.length > 0) {
    const { list, path } = pending.pop() as { list: unknown; path: string };
    if (!Array.isArray(list)) continue;
    // Pushed in reverse so children are visited right after their parent.
    const children: { list: unknown; path: string }[] = [];
    list.forEach((component: unknown, index) => {
      if (!isRecord(component)) return;
      const at = `${path}/${index}`;
      found.push({ component, path: at });
      if (component.components !== undefined) children.push({ list: component.components, path: `${at}/components` });
    });
    for (let i = children.length - 1; i >= 0; i -= 1) pending.push(children[i] as { list: unknown; path: string });
  }
  return found;
}

/** What a visitor sees: the object or array, its key in its parent, and a lazily built JSON pointer. */
export interface Visit {
  value: Record<string, unknown> | unknown[];
  key: string;
  parentKey: string;
  pointer: () => string;
}

interface Frame {
  value: Record<string, unknown> | unknown[];
  key: string;
  keys: string[] | undefined;
  next: number;
}

/**
 * Visits every object and array of a JSON document, depth first, without
 * recursion. JSON pointers are only built on demand because a 100 MB SBOM has
 * millions of nodes and most checks never need one.
 */
export function visitJson(root: unknown, visit: (node: Visit) => void): void {
  if (typeof root !== 'object' || root === null) return;
  const stack: Frame[] = [];
  const pointer = () => stack.map((f) => escapePointer(f.key)).join('/');
  let top: Frame = { value: root as Record<string, unknown>, key: '', keys: undefined, next: 0 };
  stack.push(top);
  visit({ value: top.value, key: '', parentKey: '', pointer });
  while (stack.length > 0) {
    const value = top.value;
    let child: unknown;
    let key: string;
    if (Array.isArray(value)) {
      if (top.next >= value.length) {
        stack.pop();
        top = stack[stack.length - 1] as Frame;
        continue;
      }
      key = String(top.next);
      child = value[top.next];
    } else {
      top.keys ??= Object.keys(value);
      if (top.next >= top.keys.length) {
        stack.pop();
        top = stack[stack.length - 1] as Frame;
        continue;
      }
      key = top.keys[top.next] as string;
      child = value[key];
    }
    top.next += 1;
    if (typeof child !== 'object' || child === null) continue;
    const parentKey = top.key;
    top = { value: child as Record<string, unknown> | unknown[], key, keys: undefined, next: 0 };
    stack.push(top);
    visit({ value: top.value, key, parentKey, pointer });
  }
}

/** RFC 6901: `~` and `/` in a key are escaped in a JSON pointer. */
function escapePointer(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replaceAll('~', '~0').replaceAll('/', '~1') : key;
}

/** The string, if the value is a non-empty (after trimming) string. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The array, or an empty one: SBOM fields are often absent. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
