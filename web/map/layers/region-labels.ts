/**
 * Names of districts, streets, communities and grids as a deck.gl TextLayer: no glyph server (docs/decisions.md,
 * offline first) — `characterSet: 'auto'` builds the atlas from the browser's own CJK fonts — and
 * the labels land in the deck canvas, so a PNG export of the map includes them.
 */
import { TextLayer } from '@deck.gl/layers';
import { arrangeLabels, type LabelBox, type Obstacle } from '../label-placement';
import { hexToRgba, type Rgba } from './colours';

/** Layer id of the region names. */
export const REGION_LABELS_ID = 'region-labels';

/** One label: where, what, and how important it is when labels collide. */
export interface RegionLabel {
  code: string;
  name: string;
  position: [number, number];
  level: 'district' | 'street' | 'community' | 'grid';
  /** Higher wins a collision (area, or Infinity for the focused unit). */
  priority: number;
  /** Set by placement: the text drawn when it is not `name` (the short form of a crowded name). */
  text?: string;
  /** Set by placement: pixels the label was moved from its anchor to make room. */
  offset?: [number, number];
}

/** Font size per level in CSS pixels: districts read first, grids last. */
export const LABEL_SIZES: Record<RegionLabel['level'], number> = { district: 16, street: 14, community: 12, grid: 11 };

/**
 * Below this zoom a map that offers district names (a city seen whole) shows them instead of
 * street names: the hundred-odd streets of a city crowd a frame that shows all its districts.
 * Zoomed in further, streets are named as on a district's map.
 */
export const DISTRICT_LABEL_MAX_ZOOM = 11.5;

/**
 * Which levels to label at a zoom: districts while a whole city is in view (only when `districts`
 * are offered at all: a district's map, the top or drilled into, names its streets), then streets
 * until communities become legible, then communities, grids only when zoomed into a community.
 * Keeps the map from turning into a wall of names.
 */
export function labelLevelsAt(zoom: number, districts = false): RegionLabel['level'][] {
  if (districts && zoom < DISTRICT_LABEL_MAX_ZOOM) return ['district'];
  if (zoom < 12.5) return ['street'];
  if (zoom < 14.5) return ['street', 'community'];
  return ['community', 'grid'];
}

/**
 * A label's screen box estimate (CJK glyphs are about one em wide), for collision placement
 * before deck.gl draws anything.
 */
export function labelBox(label: RegionLabel): { width: number; height: number } {
  return { width: textWidth(label.name, label.level), height: LABEL_SIZES[label.level] + 6 };
}

function textWidth(text: string, level: RegionLabel['level']): number {
  return [...text].length * LABEL_SIZES[level] + 8;
}

/** The suffixes a crowded street name may drop (关上街道 → 关上); the map stays readable without them. */
const SHORTENABLE = /(街道|街道办事处|镇|乡)$/;

/** The short form of a name, or null when it has none. */
export function shortName(name: string): string | null {
  const short = name.replace(SHORTENABLE, '');
  return short && short !== name ? short : null;
}

/** Options of {@link buildRegionLabels}. */
export interface RegionLabelOptions {
  labels: RegionLabel[];
  /** Code drawn emphasised (the drill focus). */
  focus?: string | null;
  /** Text and halo colours; defaults suit the light offline basemap. */
  colour?: Rgba;
  halo?: Rgba;
  focusColour?: Rgba;
  visible?: boolean;
  /** Multiplies the placement offsets: the big screen measures in desk pixels and draws larger. */
  offsetScale?: number;
}

/** The label layer (id {@link REGION_LABELS_ID}); pass only the labels that survived placement. */
export function buildRegionLabels(o: RegionLabelOptions): TextLayer<RegionLabel> {
  const colour = o.colour ?? hexToRgba('#243042');
  const focusColour = o.focusColour ?? hexToRgba('#1d4ed8');
  const offsetScale = o.offsetScale ?? 1;
  return new TextLayer<RegionLabel>({
    id: REGION_LABELS_ID,
    data: o.labels,
    visible: o.visible ?? true,
    characterSet: 'auto',
    fontFamily: '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif',
    fontWeight: 600,
    getText: (d) => d.text ?? d.name,
    getPosition: (d) => d.position,
    getSize: (d) => LABEL_SIZES[d.level] + (d.code === o.focus ? 2 : 0),
    getColor: (d) => (d.code === o.focus ? focusColour : colour),
    outlineWidth: 3,
    outlineColor: o.halo ?? hexToRgba('#ffffff', 230),
    fontSettings: { sdf: true, buffer: 6 },
    getPixelOffset: (d) => (d.offset ? [d.offset[0] * offsetScale, d.offset[1] * offsetScale] : [0, 0]),
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    sizeUnits: 'pixels',
    billboard: true,
    updateTriggers: { getSize: [o.focus], getColor: [o.focus], getPixelOffset: [offsetScale] },
  });
}

/**
 * The labels to draw at this zoom and viewport: levels from {@link labelLevelsAt}, off-screen ones
 * dropped, then placement (higher priority first, see label-placement.ts). Street names are
 * required — every street is named at district zoom (every district at city zoom), moved beside its place or shortened when
 * downtown is crowded — and no label covers an `obstacle` (a legend over the map). `project` maps
 * lon/lat to CSS pixels (e.g. `map.project`); the result carries each label's offset and text.
 */
export function visibleLabels(
  labels: readonly RegionLabel[],
  zoom: number,
  project: (position: [number, number]) => [number, number],
  viewport: { width: number; height: number },
  obstacles: readonly Obstacle[] = [],
): RegionLabel[] {
  const levels = new Set(labelLevelsAt(zoom, labels.some((l) => l.level === 'district')));
  const boxes: (LabelBox & { label: RegionLabel })[] = [];
  for (const label of labels) {
    if (!levels.has(label.level) && label.priority !== Infinity) continue;
    const [x, y] = project(label.position);
    if (x < -50 || y < -20 || x > viewport.width + 50 || y > viewport.height + 20) continue;
    const short = label.level === 'street' ? shortName(label.name) : null;
    boxes.push({
      id: `${label.level}:${label.code}`, x, y, ...labelBox(label), priority: levelRank(label) + label.priority, label,
      required: label.level === 'street' || label.level === 'district', shortWidth: short ? textWidth(short, label.level) : undefined,
    });
  }
  const placed = arrangeLabels(boxes, { obstacles, viewport });
  const out: RegionLabel[] = [];
  for (const b of boxes) {
    const p = placed.get(b.id);
    if (!p) continue;
    const moved = p.dx !== 0 || p.dy !== 0;
    out.push({ ...b.label, text: p.short ? (shortName(b.label.name) ?? undefined) : undefined, offset: moved ? [p.dx, p.dy] : undefined });
  }
  return out;
}

/** Districts outrank streets outrank communities outrank grids, whatever their areas. */
function levelRank(label: RegionLabel): number {
  return { district: 3e6, street: 2e6, community: 1e6, grid: 0 }[label.level];
}
