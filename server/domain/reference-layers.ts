/**
 * Reference layers: the roads, water and landmarks (POIs) drawn under the data so a map can be
 * read without online tiles. One vocabulary for the import (which classes a file's attributes
 * mean), the server (what a zoomed-out answer keeps) and the browser (how each class is drawn).
 */

/** The layers, in drawing order (water under roads, landmarks on top). */
export const REFERENCE_LAYERS = ['water', 'roads', 'poi'] as const;
export type ReferenceLayer = (typeof REFERENCE_LAYERS)[number];

/** Road classes, most important first; the index is the road's rank. */
export const ROAD_CLASSES = ['main', 'secondary', 'minor'] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];

/**
 * What the class attributes of common sources say, per class: 城市道路等级 (GB 50220), OSM `highway`
 * and Geofabrik `fclass` values, and 公路 grades. Matched ignoring case; anything else is minor.
 */
const ROAD_CLASS_WORDS: Record<RoadClass, readonly string[]> = {
  main: [
    'main', '主干路', '主干道', '快速路', '快速道路', '高速', '高速公路', '国道', '省道', '一级公路',
    'motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link', 'expressway',
  ],
  secondary: ['secondary', '次干路', '次干道', '县道', '二级公路', 'secondary_link', 'tertiary', 'tertiary_link'],
  minor: ['minor', '支路', '街巷', '小巷', '巷道', '乡道', '村道', 'residential', 'unclassified', 'service', 'living_street'],
};

/** The road class an attribute value names; unknown or missing values are minor roads. */
export function roadClassOf(raw: unknown): RoadClass {
  const word = raw === undefined || raw === null ? '' : String(raw).trim().toLowerCase();
  for (const c of ROAD_CLASSES) if (ROAD_CLASS_WORDS[c].includes(word)) return c;
  return 'minor';
}

/** Water features: rivers and canals as lines, lakes and river areas as polygons. */
export const WATER_CLASSES = ['area', 'river'] as const;
export type WaterClass = (typeof WATER_CLASSES)[number];

/**
 * The least zoom at which a feature of this layer and rank is drawn: a district on one screen
 * shows main roads and water; secondary roads join at city-quarter scale, minor roads and
 * landmarks when a street fills the screen. The server leaves out what would not be drawn.
 */
export function referenceMinZoom(layer: ReferenceLayer, rank: number): number {
  if (layer === 'water') return 0;
  if (layer === 'poi') return 13;
  return [0, 11, 13][rank] ?? 13;
}
