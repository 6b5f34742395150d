import type { Position } from 'geojson';
import type { Session } from '../db/database.ts';
import type { DeploymentArea } from '../spatial/deployment-area.ts';
import { openFeatureSource, type OpenOptions } from './readers/index.ts';

/** The deployment's area: the boxes and names of the regions no other region contains. */
export async function loadDeploymentArea(session: Session): Promise<DeploymentArea> {
  const rows = await session.all<{ name: string; xmin: number; ymin: number; xmax: number; ymax: number }>(
    `SELECT name, xmin, ymin, xmax, ymax FROM regions r
     WHERE r.parent IS NULL OR r.parent NOT IN (SELECT code FROM regions) ORDER BY code`,
  );
  return { boxes: rows.map((r) => [r.xmin, r.ymin, r.xmax, r.ymax]), names: rows.map((r) => r.name) };
}

/** How many features and positions {@link samplePositions} looks at. */
const SAMPLE_FEATURES = 20;
const SAMPLE_POSITIONS = 500;

function collect(coords: unknown, out: Position[]): void {
  if (!Array.isArray(coords) || out.length >= SAMPLE_POSITIONS) return;
  if (typeof coords[0] === 'number') {
    if (typeof coords[1] === 'number' && Number.isFinite(coords[0]) && Number.isFinite(coords[1])) out.push(coords as Position);
    return;
  }
  for (const c of coords) collect(c, out);
}

/**
 * Positions of the first features of a file, read through a second opening of it, so the CRS can
 * be told before the import proper converts anything. Unreadable input yields what was read; the
 * import reports the problem itself.
 */
export async function samplePositions(path: string, opts: Pick<OpenOptions, 'format' | 'encoding'>): Promise<Position[]> {
  const out: Position[] = [];
  try {
    const source = await openFeatureSource(path, { format: opts.format, encoding: opts.encoding });
    let seen = 0;
    for await (const raw of source.features) {
      collect((raw.geometry as { coordinates?: unknown } | null)?.coordinates, out);
      if (++seen >= SAMPLE_FEATURES || out.length >= SAMPLE_POSITIONS) break;
    }
  } catch {
    // The import proper reads the file again and reports what is wrong with it.
  }
  return out;
}
