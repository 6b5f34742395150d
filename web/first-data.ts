/**
 * "First data drawn": the moment a page first shows what it is for — on the workspace and the big
 * screen, a map layer with data painted *and* the KPI figures filled in; on the planner, its grids
 * painted; on the bulletin, the bulletin shown. Each view says which parts it waits for, each part
 * reports once it is on screen, and the page sets the performance mark {@link FIRST_DATA_MARK}
 * (time since navigation start) once, when the last of them arrives. `npm run bench` reads the mark;
 * nothing in the app depends on it.
 */

/** Name of the performance mark. */
export const FIRST_DATA_MARK = 'civgrid:first-data';

/** What a page shows first. */
export type FirstDataPart = 'map' | 'kpis' | 'bulletin';

/** The first-data bookkeeping of one page load. */
export interface FirstDataTracker {
  /** The parts the view on screen shows first; a view opened before the mark replaces the last one's. */
  expect(parts: readonly FirstDataPart[]): void;
  /** A part is on screen; the mark is set when every expected part has been. */
  drawn(part: FirstDataPart): void;
  /** Whether the mark has been set (later reports cost nothing). */
  readonly done: boolean;
  /** Resolves when the mark is set. */
  readonly settled: Promise<void>;
}

/** A tracker that calls `mark` once, when every expected part has been drawn. */
export function firstDataTracker(mark: () => void): FirstDataTracker {
  let expected: Set<FirstDataPart> | null = null;
  const seen = new Set<FirstDataPart>();
  let done = false;
  let settle = () => {};
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const check = () => {
    if (done || !expected || [...expected].some((p) => !seen.has(p))) return;
    done = true;
    mark();
    settle();
  };
  return {
    expect(parts) {
      if (done) return;
      expected = new Set(parts);
      seen.clear();
    },
    drawn(part) {
      if (done) return;
      seen.add(part);
      check();
    },
    get done() {
      return done;
    },
    settled,
  };
}

/** The page's tracker. */
export const firstData = firstDataTracker(() => performance.mark(FIRST_DATA_MARK));

/** How long what waits for the first data waits at most: a page may never draw it (an error, an empty database). */
export const FIRST_DATA_WAIT_MS = 3_000;

/**
 * Resolves once the page's first data is drawn, or after {@link FIRST_DATA_WAIT_MS}: what can
 * wait (the charts' library) loads then instead of competing with the map and the KPI figures.
 */
export function afterFirstData(tracker: FirstDataTracker = firstData, maxWaitMs = FIRST_DATA_WAIT_MS): Promise<void> {
  return Promise.race([tracker.settled, new Promise<void>((resolve) => setTimeout(resolve, maxWaitMs))]);
}

/** Reports `part` in the next animation frame: the frame in which what was just rendered is painted. */
export function drawnNextFrame(part: FirstDataPart): void {
  if (!firstData.done) requestAnimationFrame(() => firstData.drawn(part));
}

/** A deck.gl layer as far as {@link layerHasData} looks at it. */
interface LayerLike {
  props: { data?: unknown; visible?: boolean };
}

/**
 * Whether a layer draws data: visible, with a non-empty array, FeatureCollection or columnar table
 * (an object with a `length`) as its data.
 */
export function layerHasData(layer: LayerLike): boolean {
  if (layer.props.visible === false) return false;
  const data = layer.props.data;
  if (Array.isArray(data)) return data.length > 0;
  if (typeof data !== 'object' || data === null) return false;
  const { features, length } = data as { features?: unknown; length?: unknown };
  if (Array.isArray(features)) return features.length > 0;
  return typeof length === 'number' && length > 0;
}
