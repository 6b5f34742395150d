/**
 * Selection in the category tree (大类 → 小类). A fully selected 大类 is sent as its own code (the
 * API expands it to its 小类, and the URL stays short); a partly selected one as its 小类 codes.
 * Pure.
 */

/** A node of an option tree: a parent with children, or a leaf. */
export interface TreeOption {
  value: string;
  label: string;
  children?: TreeOption[];
}

/** How a parent's checkbox shows: all, some or none of it selected. */
export type TreeCheck = 'all' | 'some' | 'none';

/** The check state of an option under the current selection. */
export function checkOf(option: TreeOption, selected: readonly string[]): TreeCheck {
  if (selected.includes(option.value)) return 'all';
  const kids = option.children ?? [];
  if (!kids.length) return 'none';
  const n = kids.filter((k) => selected.includes(k.value)).length;
  return n === 0 ? 'none' : n === kids.length ? 'all' : 'some';
}

/** Normalises: a parent with every child selected becomes the parent's code alone. */
export function normaliseTree(selected: readonly string[], tree: readonly TreeOption[]): string[] {
  const set = new Set(selected);
  for (const parent of tree) {
    const kids = parent.children ?? [];
    if (!kids.length) continue;
    if (set.has(parent.value) || kids.every((k) => set.has(k.value))) {
      for (const k of kids) set.delete(k.value);
      set.add(parent.value);
    }
  }
  return [...set].sort();
}

/** The selection after clicking `value` (a parent or a leaf) in the tree. */
export function toggleTree(selected: readonly string[], tree: readonly TreeOption[], value: string): string[] {
  const set = new Set(selected);
  const parent = tree.find((p) => p.value === value);
  if (parent) {
    const on = checkOf(parent, selected) === 'all';
    set.delete(parent.value);
    for (const k of parent.children ?? []) set.delete(k.value);
    if (!on) set.add(parent.value);
    return normaliseTree([...set], tree);
  }
  const owner = tree.find((p) => p.children?.some((k) => k.value === value));
  if (owner && set.has(owner.value)) {
    // Unchecking one 小类 of a fully selected 大类: keep its siblings.
    set.delete(owner.value);
    for (const k of owner.children ?? []) if (k.value !== value) set.add(k.value);
  } else if (set.has(value)) set.delete(value);
  else set.add(value);
  return normaliseTree([...set], tree);
}
