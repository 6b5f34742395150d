/**
 * Individual issues as clickable points, for street-level zooms (the workspace loads them from
 * zoom 16 on, inside the view). Colour says where the issue stands: overdue, open, or finished.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import { hexToRgba, STATUS_COLOURS, type IssueMarkerState } from './colours';

/** Layer id of the issue points. */
export const ISSUE_POINTS_ID = 'issue-points';

/** The zoom from which individual issues are shown. */
export const ISSUE_POINTS_MIN_ZOOM = 16;

/** What the layer reads of an issue (a subset of `/api/issues` items). */
export interface IssuePoint {
  id: string;
  status: string;
  overdue: boolean;
  lon: number;
  lat: number;
}

/** Statuses after which an issue needs nothing more. */
const FINISHED = new Set(['closed', 'cancelled']);

/** The marker state of one issue: overdue beats open; closed and cancelled are "ok". */
export function issueState(issue: Pick<IssuePoint, 'status' | 'overdue'>): IssueMarkerState {
  if (issue.overdue) return 'overdue';
  return FINISHED.has(issue.status) ? 'ok' : 'open';
}

/** Options of {@link buildIssuePoints}. */
export interface IssuePointOptions {
  issues: IssuePoint[];
  selected?: string | null;
  visible?: boolean;
}

const SELECTED = hexToRgba('#1d4ed8');
const WHITE = hexToRgba('#ffffff');

/** The issue layer (id {@link ISSUE_POINTS_ID}); pickable, object = the issue. */
export function buildIssuePoints(o: IssuePointOptions): ScatterplotLayer<IssuePoint> {
  return new ScatterplotLayer<IssuePoint>({
    id: ISSUE_POINTS_ID,
    data: o.issues,
    visible: o.visible ?? true,
    pickable: true,
    stroked: true,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    getPosition: (d) => [d.lon, d.lat],
    getRadius: (d) => (d.id === o.selected ? 9 : 6),
    getFillColor: (d) => hexToRgba(STATUS_COLOURS[issueState(d)], 230),
    getLineColor: (d) => (d.id === o.selected ? SELECTED : WHITE),
    getLineWidth: (d) => (d.id === o.selected ? 3 : 1.5),
    updateTriggers: { getRadius: [o.selected], getLineColor: [o.selected], getLineWidth: [o.selected] },
  });
}
