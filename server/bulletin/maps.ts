/**
 * The bulletin's two maps, drawn without tiles or network: the units' outlines as SVG in Web
 * Mercator, coloured by the workspace's own classed scale (so a unit is the same colour in print
 * as on screen), and the period's heat bins as graded dots over the scope's outline; rasterised
 * to PNG with sharp so every format can embed them.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import sharp from 'sharp';
import { polygonsOf } from '../domain/geometry.ts';
import { lonLatToWorldPixel } from '../domain/mercator.ts';
import { representativePoint } from '../spatial/measure.ts';
import { classColour, classedScale, HEAT_PALETTE, legendClasses, NO_DATA_COLOUR } from '../../web/map/layers/colours.ts';
import type { MapImage } from './model.ts';

/** A unit to draw: its outline and its score (null: nothing due). */
export interface MapFeature {
  code: string;
  name: string;
  score: number | null;
  geometry: Polygon | MultiPolygon;
}

/** A heat bin: its centre and its count. */
export interface HeatPoint {
  lon: number;
  lat: number;
  count: number;
}

const WIDTH = 1200;
const HEIGHT = 900;
const PAD = 40;
const ZOOM = 20;
const FONT = "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif";

/** Projects lon/lat into the picture, fitting the features' extent. */
function projection(features: readonly MapFeature[]) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) {
    for (const ring of rings(f.geometry)) {
      for (const [lon, lat] of ring) {
        const [x, y] = lonLatToWorldPixel(lon, lat, ZOOM);
        x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
      }
    }
  }
  const scale = Math.min((WIDTH - 2 * PAD) / Math.max(x1 - x0, 1), (HEIGHT - 2 * PAD) / Math.max(y1 - y0, 1));
  const ox = (WIDTH - (x1 - x0) * scale) / 2;
  const oy = (HEIGHT - (y1 - y0) * scale) / 2;
  return (lon: number, lat: number): [number, number] => {
    const [x, y] = lonLatToWorldPixel(lon, lat, ZOOM);
    return [ox + (x - x0) * scale, oy + (y - y0) * scale];
  };
}

function rings(g: Polygon | MultiPolygon): Position[][] {
  return polygonsOf(g).flat();
}

function pathOf(g: Polygon | MultiPolygon, project: (lon: number, lat: number) => [number, number]): string {
  return rings(g).map((ring) => `M${ring.map(([lon, lat]) => project(lon, lat).map((v) => v.toFixed(1)).join(' ')).join('L')}Z`).join('');
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

async function png(svg: string): Promise<string> {
  return (await sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer()).toString('base64');
}

function labels(features: readonly MapFeature[], project: (lon: number, lat: number) => [number, number], size: number): string {
  return features.map((f) => {
    const [x, y] = project(...representativePoint(f.geometry));
    return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${size}" text-anchor="middle" dominant-baseline="middle" `
      + `fill="#1f2937" stroke="#fff" stroke-width="3" paint-order="stroke" font-family="${FONT}">${escapeXml(f.name)}</text>`;
  }).join('');
}

/** Label size by how many units share the picture: six districts get large names, 200 grids none. */
const labelSize = (n: number) => (n <= 20 ? 22 : n <= 60 ? 14 : 0);

/** The score choropleth of the units, with the legend the workspace would show for the same values. */
export async function drawScoreMap(features: readonly MapFeature[], caption: string): Promise<MapImage> {
  const project = projection(features);
  const scale = classedScale('score', features.map((f) => f.score));
  const shapes = features.map((f) => `<path d="${pathOf(f.geometry, project)}" fill="${classColour(scale, f.score)}" stroke="#ffffff" stroke-width="1.5" fill-rule="evenodd"/>`).join('');
  const size = labelSize(features.length);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><rect width="100%" height="100%" fill="#ffffff"/>${shapes}${size ? labels(features, project, size) : ''}</svg>`;
  const legend = [
    ...legendClasses(scale).map((c) => ({ colour: c.colour, label: c.from === null ? `< ${c.to}分` : c.to === null ? `≥ ${c.from}分` : `${c.from}–${c.to}分` })),
    ...(features.some((f) => f.score === null) ? [{ colour: NO_DATA_COLOUR, label: '无应结案件（不计分）' }] : []),
  ];
  return { caption, png: await png(svg), width: WIDTH, height: HEIGHT, legend };
}

/** The heat of the period: bins as dots graded by count over the units' outlines; null without any report. */
export async function drawHeatMap(points: readonly HeatPoint[], outlines: readonly MapFeature[], caption: string): Promise<MapImage | null> {
  if (!outlines.length) return null;
  const project = projection(outlines);
  const max = points.reduce((m, p) => Math.max(m, p.count), 0);
  const grade = (n: number) => Math.min(HEAT_PALETTE.length - 1, Math.floor((Math.sqrt(n) / Math.sqrt(Math.max(max, 1))) * HEAT_PALETTE.length));
  const base = outlines.map((f) => `<path d="${pathOf(f.geometry, project)}" fill="#f3f4f6" stroke="#9ca3af" stroke-width="1.2" fill-rule="evenodd"/>`).join('');
  const dots = [...points].sort((a, b) => a.count - b.count).map((p) => {
    const [x, y] = project(p.lon, p.lat);
    return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${(3 + 6 * Math.sqrt(p.count / Math.max(max, 1))).toFixed(1)}" fill="${HEAT_PALETTE[grade(p.count)]}" fill-opacity="0.75"/>`;
  }).join('');
  const size = labelSize(outlines.length);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}"><rect width="100%" height="100%" fill="#ffffff"/>${base}${dots}${size ? labels(outlines, project, size) : ''}</svg>`;
  // Each colour's lowest count, as grade() assigns them; colours no count reaches are left out.
  const steps: { colour: string; label: string }[] = [];
  for (let n = 1; n <= max; n++) {
    const colour = HEAT_PALETTE[grade(n)];
    if (steps.at(-1)?.colour !== colour) steps.push({ colour, label: `≥ ${n}件/格` });
  }
  return { caption, png: await png(svg), width: WIDTH, height: HEIGHT, legend: max ? steps : [] };
}
