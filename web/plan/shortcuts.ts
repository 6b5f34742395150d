/**
 * The planner's keyboard shortcuts as a pure mapping from a key press to an action, so the table
 * is tested once and the view only dispatches. Letters are ignored while the planner types into a
 * field (renaming a grid "Sxx" must not start a split).
 */

/** The tools of the planner. */
export type Tool = 'select' | 'split' | 'merge' | 'redraw' | 'vertex';

/** What a shortcut does. */
export type ShortcutAction =
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'tool'; tool: Tool }
  | { kind: 'cancel' }
  | { kind: 'deleteVertex' };

/** The parts of a KeyboardEvent the mapping reads. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  /** The focus is in an input, textarea, select or contenteditable element. */
  typing: boolean;
}

const TOOL_KEYS: Record<string, Tool> = { s: 'split', m: 'merge', v: 'vertex', r: 'redraw' };

/** The action for a key press, or null when the planner's shortcuts do not handle it. */
export function shortcutFor(e: KeyPress): ShortcutAction | null {
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const mod = e.ctrlKey || e.metaKey;
  if (mod && !e.altKey) {
    // Inside a text field Ctrl+Z belongs to the field.
    if (e.typing) return null;
    if (key === 'z') return e.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
    if (key === 'y' && !e.shiftKey) return { kind: 'redo' };
    return null;
  }
  if (key === 'Escape') return { kind: 'cancel' };
  if (e.typing || e.altKey || mod) return null;
  if (key === 'Delete' || key === 'Backspace') return { kind: 'deleteVertex' };
  if (e.shiftKey) return null;
  const tool = TOOL_KEYS[key];
  return tool ? { kind: 'tool', tool } : null;
}

/** True when keys typed into this element are text, not commands. */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean } | null;
  if (!el?.tagName) return false;
  return el.isContentEditable === true || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}
