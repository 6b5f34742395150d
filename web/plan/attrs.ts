/**
 * The attribute form's edit: only the fields that differ from the grid are sent, so saving an
 * untouched form is no edit at all and the change log names exactly what changed. Pure.
 */
import type { GridChange } from '../api/civgrid';
import type { GridProps } from './outcome';

/** What the form holds: text inputs as strings. */
export interface GridForm {
  code: string;
  name: string;
  inspector: string;
  community: string;
  households: string;
}

/** The form filled from a grid. */
export function formOf(g: GridProps): GridForm {
  return { code: g.code, name: g.name, inspector: g.inspector ?? '', community: g.community, households: g.households === null ? '' : String(g.households) };
}

/** The form is invalid: which field and why (an i18n-free reason code). */
export type FormProblem = { field: keyof GridForm; reason: 'empty' | 'not_a_count' };

/**
 * The change to send, `null` when nothing changed, or the problem that stops it. An empty
 * inspector clears it (null), which validation then reports as a warning.
 */
export function attributeChange(g: GridProps, f: GridForm): GridChange | null | FormProblem {
  const change: GridChange = {};
  const code = f.code.trim();
  const name = f.name.trim();
  if (!code) return { field: 'code', reason: 'empty' };
  if (!name) return { field: 'name', reason: 'empty' };
  if (code !== g.code) change.code = code;
  if (name !== g.name) change.name = name;
  const inspector = f.inspector.trim() || null;
  if (inspector !== g.inspector) change.inspector = inspector;
  if (f.community !== g.community) change.community = f.community;
  const text = f.households.trim();
  if (text && !/^\d+$/.test(text)) return { field: 'households', reason: 'not_a_count' };
  const households = text ? Number(text) : null;
  if (households !== g.households) change.households = households;
  return Object.keys(change).length ? change : null;
}

/** True for the problem branch of {@link attributeChange}. */
export function isFormProblem(x: GridChange | FormProblem | null): x is FormProblem {
  return x !== null && 'reason' in x;
}
