/**
 * Hairline outlines of many polygons (the grid mesh) in one non-instanced draw of line segments,
 * one device pixel wide. deck.gl's PathLayer draws each segment as an instance; software WebGL
 * (SwiftShader: the benchmark's Chromium, walls without a GPU) runs every instance as a draw call
 * of its own, so the 65,000 segments of 10 k grids cost two seconds per redraw — and deck.gl
 * redraws every layer whenever one changes, e.g. each playback frame. As `line-list` they are one
 * draw. Lines wider than a hairline still go through deck.gl's own layers
 * ({@link HairlineGeoJsonLayer} splits a GeoJSON layer's outlines that way).
 */
import { color, Layer, project32, type Accessor, type Color, type DefaultProps, type LayerProps, type UpdateParameters } from '@deck.gl/core';
import { GeoJsonLayer, type GeoJsonLayerProps } from '@deck.gl/layers';
import type { Buffer } from '@luma.gl/core';
import { Model } from '@luma.gl/engine';
import type { Feature, Geometry, Position } from 'geojson';

/** Segment end points of every ring of every polygon, and where each feature's begin. */
export interface RingSegments {
  /** x, y, z of both ends of each segment, in feature order. */
  positions: Float64Array;
  /** Index of each feature's first vertex in `positions` / 3; one more entry: the vertex count. */
  starts: Uint32Array;
}

function ringsOf(geometry: Geometry | null | undefined): Position[][] {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return geometry.coordinates;
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.flat();
  if (geometry.type === 'GeometryCollection') return geometry.geometries.flatMap(ringsOf);
  return [];
}

/** The outline segments of `features` (polygons and multipolygons; other geometries draw nothing). Pure. */
export function ringSegments<P>(features: readonly Feature<Geometry | null, P>[]): RingSegments {
  let vertices = 0;
  for (const f of features) for (const ring of ringsOf(f.geometry)) vertices += Math.max(0, ring.length - 1) * 2;
  const positions = new Float64Array(vertices * 3);
  const starts = new Uint32Array(features.length + 1);
  let v = 0;
  features.forEach((f, i) => {
    starts[i] = v;
    for (const ring of ringsOf(f.geometry)) {
      for (let k = 1; k < ring.length; k++) {
        for (const p of [ring[k - 1], ring[k]]) {
          positions[3 * v] = p[0];
          positions[3 * v + 1] = p[1];
          positions[3 * v + 2] = p[2] ?? 0;
          v++;
        }
      }
    }
  });
  starts[features.length] = v;
  return { positions, starts };
}

/** RGBA per vertex: each feature's colour repeated over its vertices (`starts` of {@link ringSegments}). Pure. */
export function vertexColours(starts: Uint32Array, colourOf: (index: number) => ArrayLike<number>): Uint8Array {
  const count = starts.length - 1;
  const out = new Uint8Array(starts[count] * 4);
  for (let i = 0; i < count; i++) {
    const c = colourOf(i);
    const a = c.length > 3 ? c[3] : 255;
    for (let v = starts[i]; v < starts[i + 1]; v++) {
      out[4 * v] = c[0];
      out[4 * v + 1] = c[1];
      out[4 * v + 2] = c[2];
      out[4 * v + 3] = a;
    }
  }
  return out;
}

/** The high and low float32 parts of float64 positions (deck.gl's 64-bit position emulation). Pure. */
export function splitPositions(positions: Float64Array): { high: Float32Array; low: Float32Array } {
  const high = new Float32Array(positions);
  const low = new Float32Array(positions.length);
  for (let i = 0; i < positions.length; i++) low[i] = positions[i] - high[i];
  return { high, low };
}

const vs = `#version 300 es
#define SHADER_NAME thin-lines-vertex-shader
in vec3 positions;
in vec3 positions64Low;
in vec4 colors;
out vec4 vColor;
void main(void) {
  geometry.worldPosition = positions;
  gl_Position = project_position_to_clipspace(positions, positions64Low, vec3(0.0), geometry.position);
  DECKGL_FILTER_GL_POSITION(gl_Position, geometry);
  vColor = vec4(colors.rgb, colors.a * layer.opacity);
  DECKGL_FILTER_COLOR(vColor, geometry);
}
`;

const fs = `#version 300 es
#define SHADER_NAME thin-lines-fragment-shader
precision highp float;
in vec4 vColor;
out vec4 fragColor;
void main(void) {
  if (vColor.a == 0.0) discard;
  fragColor = vColor;
  DECKGL_FILTER_COLOR(fragColor, geometry);
}
`;

type Rgba = [number, number, number, number] | [number, number, number];

/** Props of {@link ThinLinesLayer}. */
export type ThinLinesLayerProps<P = unknown> = LayerProps & {
  data: readonly Feature<Geometry | null, P>[];
  /** A feature's outline colour; recomputed when `updateTriggers.getColor` changes. */
  getColor: (f: Feature<Geometry | null, P>, info: { index: number }) => Rgba;
};

const defaultProps: DefaultProps<ThinLinesLayerProps> = {
  data: { type: 'data', value: [] },
  getColor: { type: 'accessor', value: [0, 0, 0, 255] as never },
};

type State = {
  built: boolean;
  model: Model | null;
  buffers: Buffer[];
  colours: Buffer | null;
  starts: Uint32Array;
};

/** One-pixel outlines of polygon features in a single draw; not pickable (the fills are). */
export class ThinLinesLayer<P = unknown> extends Layer<ThinLinesLayerProps<P>> {
  static layerName = 'ThinLinesLayer';
  static defaultProps = defaultProps;
  declare state: State;

  getShaders() {
    return super.getShaders({ vs, fs, modules: [project32, color] });
  }

  initializeState(): void {
    this.setState({ built: false, model: null, buffers: [], colours: null, starts: new Uint32Array(1) });
  }

  updateState({ props, oldProps, changeFlags }: UpdateParameters<this>): void {
    super.updateState({ props, oldProps, changeFlags } as UpdateParameters<this>);
    const triggers = changeFlags.updateTriggersChanged;
    if (changeFlags.dataChanged || !this.state.built) this.rebuild();
    else if (triggers && (triggers.all || triggers.getColor)) this.recolour();
  }

  private rebuild(): void {
    this.release();
    const { device } = this.context;
    const { positions, starts } = ringSegments(this.props.data);
    const { high, low } = splitPositions(positions);
    const count = starts[starts.length - 1];
    if (count === 0) {
      this.setState({ built: true, model: null, buffers: [], colours: null, starts });
      return;
    }
    const colours = device.createBuffer({ data: this.colourBytes(starts) });
    const buffers = [device.createBuffer({ data: high }), device.createBuffer({ data: low }), colours];
    const model = new Model(device, {
      ...this.getShaders(),
      id: this.props.id,
      bufferLayout: [
        { name: 'positions', format: 'float32x3' },
        { name: 'positions64Low', format: 'float32x3' },
        { name: 'colors', format: 'unorm8x4' },
      ],
      attributes: { positions: buffers[0], positions64Low: buffers[1], colors: colours },
      topology: 'line-list',
      vertexCount: count,
    });
    this.setState({ built: true, model, buffers, colours, starts });
  }

  private recolour(): void {
    this.state.colours?.write(this.colourBytes(this.state.starts));
  }

  private colourBytes(starts: Uint32Array): Uint8Array {
    const { data, getColor } = this.props;
    return vertexColours(starts, (index) => getColor(data[index], { index }));
  }

  private release(): void {
    this.state.model?.destroy();
    for (const b of this.state.buffers) b.destroy();
  }

  finalizeState(context: Parameters<Layer['finalizeState']>[0]): void {
    super.finalizeState(context);
    this.release();
  }

  draw(): void {
    this.state.model?.draw(this.context.renderPass);
  }
}

/** Outlines at most this wide (CSS px) are drawn as one-pixel hairlines, their alpha scaled by the width. */
export const HAIRLINE_MAX_PX = 1.5;

/**
 * The split of outlines by drawn width: each feature's hairline alpha factor (its width in pixels,
 * at most 1) and the indexes of the features drawn wider than {@link HAIRLINE_MAX_PX}. Pure.
 */
export function outlineSplit(count: number, widthPx: (index: number) => number): { hairline: Float32Array; wide: number[] } {
  const hairline = new Float32Array(count);
  const wide: number[] = [];
  for (let i = 0; i < count; i++) {
    const w = widthPx(i);
    if (w > HAIRLINE_MAX_PX) wide.push(i);
    else hairline[i] = Math.min(1, Math.max(0, w));
  }
  return { hairline, wide };
}

type AnyFeature<P> = Feature<Geometry | null, P>;
const callAccessor = <P, T>(a: Accessor<AnyFeature<P>, T>, f: AnyFeature<P>, index: number): T =>
  (typeof a === 'function' ? (a as (f: AnyFeature<P>, info: { index: number }) => T)(f, { index }) : a);

/**
 * The hairlines' colour trigger: the outline colours' own, flattened with the widths' key —
 * deck.gl compares triggers one level deep, so a nested array would count as changed every time.
 */
export function colourTrigger(lineColour: unknown, widthsKey: string): unknown[] {
  return [...(Array.isArray(lineColour) ? lineColour : [lineColour ?? null]), widthsKey];
}

/** The outline split per features array, recomputed only when the widths' trigger or scale changes. */
const splits = new WeakMap<object, { key: string; split: ReturnType<typeof outlineSplit> }>();

/** Props of {@link HairlineGeoJsonLayer}: deck.gl's GeoJSON layer's, plus `outlined`. */
export type HairlineGeoJsonLayerProps<P> = GeoJsonLayerProps<P> & {
  /**
   * Draw the polygons' outlines (with `getLineColor`, `getLineWidth` in pixels, `lineWidthScale`):
   * hairlines in one draw, wider ones through deck.gl's path layer. Pass `stroked: false`, so
   * deck.gl does not draw them too.
   */
  outlined?: boolean;
};

/**
 * deck.gl's GeoJSON layer whose polygon outlines are drawn by width: those of at most
 * {@link HAIRLINE_MAX_PX} by {@link ThinLinesLayer}, the few wider ones (a selected grid, a focused
 * street) by deck.gl's own stroke. Same id, props and picking as a GeoJsonLayer.
 */
export class HairlineGeoJsonLayer<P = unknown> extends GeoJsonLayer<P, { outlined?: boolean }> {
  static layerName = 'HairlineGeoJsonLayer';
  static defaultProps = { ...GeoJsonLayer.defaultProps, outlined: false } as typeof GeoJsonLayer.defaultProps;

  override renderLayers(): ReturnType<GeoJsonLayer['renderLayers']> {
    const fills = super.renderLayers();
    if (!this.props.outlined) return fills;
    const data = this.props.data as unknown as { features: AnyFeature<P>[] } | AnyFeature<P>[];
    const features = Array.isArray(data) ? data : data.features;
    const { getLineColor, getLineWidth, lineWidthScale, updateTriggers } = this.props;
    const lineColour = getLineColor as Accessor<AnyFeature<P>, Color>;
    const lineWidth = getLineWidth as Accessor<AnyFeature<P>, number>;
    const key = JSON.stringify([updateTriggers.getLineWidth ?? null, lineWidthScale, features.length]);
    let memo = splits.get(features);
    if (memo?.key !== key) {
      memo = { key, split: outlineSplit(features.length, (i) => callAccessor(lineWidth, features[i], i) * lineWidthScale) };
      splits.set(features, memo);
    }
    const { hairline, wide } = memo.split;
    const mesh = new ThinLinesLayer<P>(
      this.getSubLayerProps({ id: 'hairlines', updateTriggers: { getColor: colourTrigger(updateTriggers.getLineColor, key) } }),
      {
        data: features,
        pickable: false,
        getColor: (f, { index }) => {
          const c = callAccessor(lineColour, f, index);
          return [c[0], c[1], c[2], Math.round((c.length > 3 ? (c[3] as number) : 255) * hairline[index])];
        },
      },
    );
    const outlines = new GeoJsonLayer<P>(
      this.getSubLayerProps({ id: 'wide-outlines', updateTriggers: { getLineColor: updateTriggers.getLineColor, getLineWidth: updateTriggers.getLineWidth } }),
      {
        data: { type: 'FeatureCollection', features: wide.map((i) => features[i]) } as never,
        pickable: false,
        filled: false,
        stroked: true,
        lineWidthUnits: this.props.lineWidthUnits,
        lineWidthScale,
        lineWidthMinPixels: this.props.lineWidthMinPixels,
        lineJointRounded: this.props.lineJointRounded,
        getLineColor: (f, info) => callAccessor(lineColour, f as AnyFeature<P>, wide[info.index]),
        getLineWidth: (f, info) => callAccessor(lineWidth, f as AnyFeature<P>, wide[info.index]),
      },
    );
    return [...fills, mesh as unknown as Layer, outlines as unknown as Layer];
  }
}
