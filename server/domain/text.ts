/**
 * What text civgrid stores: no control characters. NUL truncates strings in other tools, and line
 * breaks, escape sequences and backspaces forge lines and colours in logs, terminals and CSV
 * exports. One rule for every text field, applied to JSON bodies (server/routes/validation.ts)
 * and to imported files (server/import/pipeline.ts): the value is refused with the field named,
 * never silently changed.
 */

/**
 * Fields whose text may span lines (an issue's description, a workflow event's note): tab, line
 * feed and carriage return are allowed there. Every other field is one line: names, codes, ids,
 * addresses, actors, inspectors.
 */
export const MULTILINE_TEXT_FIELDS: ReadonlySet<string> = new Set(['description', 'note']);

/** C0 controls, DEL and C1 controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
/** The same without tab, line feed and carriage return. */
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

/**
 * Why `value` cannot be stored in the field named `field` (its last name, e.g. `description` or
 * `properties.name`), or null when it can.
 */
export function controlCharacterProblem(field: string, value: string): string | null {
  const name = field.split('.').filter((part) => !/^\d+$/.test(part)).at(-1) ?? field;
  const multiline = MULTILINE_TEXT_FIELDS.has(name);
  const m = (multiline ? CONTROL_BUT_LINES : CONTROL).exec(value);
  if (!m) return null;
  const code = `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  const allowed = multiline ? 'only tab and line breaks are allowed' : 'it is a single-line field';
  return `${field} contains the control character ${code} at position ${m.index + 1}; ${allowed}`;
}
