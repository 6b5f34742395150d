/**
 * Polygon fills whose colours change often (playback frames) at a cost independent of the
 * polygons. deck.gl redraws every triangle of every fill on each change; software WebGL
 * (SwiftShader: the benchmark's Chromium, walls without a GPU) pays for each of the ~55,000
 * triangles of 10 k grids every frame. Here the triangles are drawn once per view into an
 * offscreen texture as feature ids (deck.gl's own picking colours, so the encoding is picking's),
 * and each redraw is one full-screen quad that looks every pixel's id up in a small texture of
 * the features' colours — the only thing uploaded when the colours change.
 * Picking, draw order, blending and the colours themselves stay deck.gl's: picking draws the
 * polygons as ever, and the colours come from the layer's `getFillColor`.
 */
import { createIterable, type UpdateParameters } from '@deck.gl/core';
import { SolidPolygonLayer } from '@deck.gl/layers';
import type { Buffer, Framebuffer, Texture } from '@luma.gl/core';
import { Model } from '@luma.gl/engine';

/** Features per row of the colours texture. */
export const COLOURS_ROW = 256;

/**
 * The feature index a picking colour stands for (deck.gl encodes index + 1 in r, g, b, low byte
 * first; 0 is no feature), -1 for none. The quad's shader decodes the same way. Pure.
 */
export function featureOfColour(r: number, g: number, b: number): number {
  return r + g * 256 + b * 65536 - 1;
}

/**
 * RGBA of `count` features laid out as rows of {@link COLOURS_ROW} texels (the last one padded
 * with transparent texels), the texture the quad reads feature `i`'s colour from at
 * (`i % COLOURS_ROW`, `floor(i / COLOURS_ROW)`). `colours` holds 4 bytes per feature. Pure.
 */
export function packColours(colours: Uint8Array, count: number): { data: Uint8Array; width: number; height: number } {
  const height = Math.max(1, Math.ceil(count / COLOURS_ROW));
  const data = new Uint8Array(COLOURS_ROW * height * 4);
  data.set(colours.subarray(0, count * 4));
  return { data, width: COLOURS_ROW, height };
}

/**
 * Each source feature's fill, 4 bytes per feature indexed by the feature (`sourceOf(row)`), from
 * the colour of the rows (a multipolygon's parts are rows of one feature; the last row wins). Pure.
 */
export function featureColours(rows: number, features: number, sourceOf: (row: number) => number, colourOf: (row: number) => ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(Math.max(features, 0) * 4);
  for (let row = 0; row < rows; row++) {
    const f = sourceOf(row);
    if (f < 0 || f >= features) continue;
    const c = colourOf(row);
    out[4 * f] = c[0];
    out[4 * f + 1] = c[1];
    out[4 * f + 2] = c[2];
    out[4 * f + 3] = c.length > 3 ? c[3] : 255;
  }
  return out;
}

/** The [west, south, east, north] of x, y, z positions; null without any. Pure. */
export function polygonBounds(positions: ArrayLike<number> | null): [number, number, number, number] | null {
  if (!positions || positions.length < 3) return null;
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i + 2 < positions.length; i += 3) {
    const x = positions[i];
    const y = positions[i + 1];
    if (x < b[0]) b[0] = x;
    if (y < b[1]) b[1] = y;
    if (x > b[2]) b[2] = x;
    if (y > b[3]) b[3] = y;
  }
  return Number.isFinite(b[0]) ? b : null;
}

/**
 * The corners of the quad in clip space for a [west, south, east, north] box projected by
 * `project` (CSS pixels, y down) on a viewport of `width` × `height`, clamped to the screen; the
 * whole screen without a box. Pure.
 */
export function quadCorners(bounds: readonly number[] | null, project: (p: [number, number]) => number[], width: number, height: number): Float32Array {
  let [x0, y0, x1, y1] = [-1, -1, 1, 1];
  if (bounds) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const p of [[bounds[0], bounds[1]], [bounds[0], bounds[3]], [bounds[2], bounds[1]], [bounds[2], bounds[3]]] as [number, number][]) {
      const [x, y] = project(p);
      xs.push((x / width) * 2 - 1);
      ys.push(1 - (y / height) * 2);
    }
    // A pixel of margin for the polygons' rasterisation at the box's edge.
    const mx = 2 / width;
    const my = 2 / height;
    x0 = Math.max(-1, Math.min(...xs) - mx);
    x1 = Math.min(1, Math.max(...xs) + mx);
    y0 = Math.max(-1, Math.min(...ys) - my);
    y1 = Math.min(1, Math.max(...ys) + my);
    if (!(x0 < x1 && y0 < y1)) [x0, y0, x1, y1] = [0, 0, 0, 0];
  }
  return new Float32Array([x0, y0, x1, y0, x0, y1, x1, y1]);
}

const quadVs = `#version 300 es
#define SHADER_NAME id-fill-quad-vertex-shader
in vec2 corners;
void main(void) {
  gl_Position = vec4(corners, 0.0, 1.0);
}
`;

const quadFs = `#version 300 es
#define SHADER_NAME id-fill-quad-fragment-shader
precision highp float;
precision highp int;
uniform sampler2D ids;
uniform sampler2D colours;
out vec4 fragColor;
void main(void) {
  ivec2 at = ivec2(gl_FragCoord.xy);
  ivec3 c = ivec3(texelFetch(ids, at, 0).rgb * 255.0 + 0.5);
  int feature = c.r + c.g * 256 + c.b * 65536 - 1;
  if (feature < 0) discard;
  vec4 fill = texelFetch(colours, ivec2(feature % ${COLOURS_ROW}, feature / ${COLOURS_ROW}), 0);
  if (fill.a == 0.0) discard;
  fragColor = fill;
}
`;

type IdFillState = {
  quad: Model | null;
  corners: Buffer | null;
  ids: Framebuffer | null;
  /** The polygons' [west, south, east, north], for the quad's extent. */
  bounds: [number, number, number, number] | null;
  colours: Texture | null;
  /** What the ids texture was drawn for; redrawn when any of it changes. */
  idsFor: { viewport: unknown; width: number; height: number; geometry: number } | null;
  geometry: number;
  coloursDirty: boolean;
};

/**
 * deck.gl's solid polygon layer, drawn through an ids texture (see the module comment). Use it as a
 * GeoJSON layer's `polygons-fill` sublayer (`_subLayerProps`). Layer opacity is not applied: the
 * fills carry their opacity in their colours' alpha.
 */
export class IdFillPolygonLayer<D = unknown> extends SolidPolygonLayer<D> {
  static layerName = 'IdFillPolygonLayer';
  declare state: SolidPolygonLayer<D>['state'] & IdFillState;

  override initializeState(): void {
    super.initializeState();
    this.setState({
      quad: null, corners: null, ids: null, colours: null, idsFor: null, bounds: null, geometry: 0, coloursDirty: true,
    });
  }

  /**
   * A new colour trigger marks the colours texture stale instead of recomputing the fill colour of
   * every vertex: the fills are drawn from the texture, never from that attribute.
   */
  override invalidateAttribute(name = 'all'): void {
    if (name === 'getFillColor') this.state.coloursDirty = true;
    else super.invalidateAttribute(name);
  }

  override updateState(params: UpdateParameters<this>): void {
    super.updateState(params);
    if (params.changeFlags.dataChanged || params.changeFlags.updateTriggersChanged) {
      this.setState({ coloursDirty: true, geometry: this.state.geometry + (params.changeFlags.dataChanged ? 1 : 0) });
    }
    if (params.changeFlags.dataChanged || !this.state.bounds) {
      const t = this.state.polygonTesselator;
      const positions = t?.get('positions') as Float64Array | Float32Array | null | undefined;
      this.setState({ bounds: polygonBounds(positions ? positions.subarray(0, t.vertexCount * 3) : null) });
    }
  }

  override finalizeState(context: Parameters<SolidPolygonLayer<D>['finalizeState']>[0]): void {
    super.finalizeState(context);
    const s = this.state;
    s.quad?.destroy();
    s.corners?.destroy();
    s.ids?.destroy();
    s.colours?.destroy();
  }

  override draw(opts: Parameters<SolidPolygonLayer<D>['draw']>[0]): void {
    const picking = (opts as { shaderModuleProps?: { picking?: { isActive?: unknown } } }).shaderModuleProps?.picking?.isActive;
    const { topModel } = this.state;
    if (picking || !topModel || !this.props.filled || this.context.device.type !== 'webgl') {
      super.draw(opts);
      return;
    }
    const { device, viewport } = this.context;
    const [width, height] = device.getDefaultCanvasContext().getDrawingBufferSize();
    if (width < 1 || height < 1) return;
    const ids = this.drawIds(width, height);
    const colours = this.colourTexture();
    const s = this.state;
    s.corners ??= device.createBuffer({ byteLength: 8 * 4 });
    s.corners.write(quadCorners(s.bounds, (p) => viewport.project(p), viewport.width, viewport.height));
    const quad = (s.quad ??= new Model(device, {
      id: `${this.props.id}-quad`, vs: quadVs, fs: quadFs, topology: 'triangle-strip', vertexCount: 4,
      bufferLayout: [{ name: 'corners', format: 'float32x2' }], attributes: { corners: s.corners },
    }));
    quad.setBindings({ ids: ids.colorAttachments[0].texture, colours });
    // The layer's blending, but no depth: a quad's depth would hide the layers drawn over the fills.
    quad.setParameters({ ...topModel.parameters, depthWriteEnabled: false, depthCompare: 'always' });
    quad.draw(this.context.renderPass);
  }

  /** Whether a texture drawn for `was` serves the current view at this size. */
  private sameView(was: { viewport: unknown; width: number; height: number } | null, width: number, height: number): boolean {
    const { viewport } = this.context;
    return Boolean(was && was.width === width && was.height === height
      && (was.viewport === viewport || (viewport as { equals(v: unknown): boolean }).equals(was.viewport)));
  }

  /** A framebuffer of this size, reusing `fbo`. */
  private target(fbo: Framebuffer | null, name: string, width: number, height: number): Framebuffer {
    if (!fbo) return this.context.device.createFramebuffer({ id: `${this.props.id}-${name}`, width, height, colorAttachments: ['rgba8unorm'] });
    if (fbo.width !== width || fbo.height !== height) fbo.resize({ width, height });
    return fbo;
  }

  /** The ids texture of the current view, drawn only when the view, the canvas or the polygons changed. */
  private drawIds(width: number, height: number): Framebuffer {
    const { device, viewport } = this.context;
    const was = this.state.idsFor;
    if (this.state.ids && was?.geometry === this.state.geometry && this.sameView(was, width, height)) return this.state.ids;
    const fbo = (this.state.ids = this.target(this.state.ids, 'ids', width, height));
    const topModel = this.state.topModel!;
    const { polygonTesselator } = this.state;
    topModel.setVertexCount(polygonTesselator.vertexCount);
    topModel.shaderInputs.setProps({
      solidPolygon: { extruded: false, elevationScale: this.props.elevationScale, isWireframe: false },
      picking: { isActive: true, isAttribute: false },
    });
    const pass = device.beginRenderPass({ id: `${this.props.id}-ids`, framebuffer: fbo, clearColor: [0, 0, 0, 0], parameters: { viewport: [0, 0, width, height] } });
    // Picking colours are opaque, so the layer's blending writes them exactly; no depth buffer here.
    topModel.draw(pass);
    pass.end();
    topModel.shaderInputs.setProps({ picking: { isActive: false } });
    this.state.idsFor = { viewport, width, height, geometry: this.state.geometry };
    return fbo;
  }

  /** The features' colours as a texture, recomputed and uploaded only after a colour change. */
  private colourTexture(): Texture {
    if (!this.state.coloursDirty && this.state.colours) return this.state.colours;
    const { data, getFillColor } = this.props;
    const rows: D[] = [];
    for (const object of createIterable(data).iterable) rows.push(object as D);
    const sourceOf = (row: number) => {
      const s = (rows[row] as { __source?: { index: number } } | undefined)?.__source;
      return s ? s.index : row;
    };
    let features = 0;
    for (let row = 0; row < rows.length; row++) features = Math.max(features, sourceOf(row) + 1);
    const info = { index: 0, data, target: [0, 0, 0, 0] };
    const colourOf = (row: number) => {
      info.index = row;
      return (typeof getFillColor === 'function' ? (getFillColor as (d: D, i: typeof info) => ArrayLike<number>)(rows[row], info) : (getFillColor as ArrayLike<number>));
    };
    const packed = packColours(featureColours(rows.length, features, sourceOf, colourOf), features);
    let texture = this.state.colours;
    if (texture && (texture.width !== packed.width || texture.height !== packed.height)) {
      texture.destroy();
      texture = null;
    }
    if (!texture) {
      texture = this.context.device.createTexture({
        id: `${this.props.id}-colours`, format: 'rgba8unorm', width: packed.width, height: packed.height, data: packed.data,
        sampler: { minFilter: 'nearest', magFilter: 'nearest' },
      });
    } else texture.writeData(packed.data);
    this.setState({ colours: texture, coloursDirty: false });
    return texture;
  }
}
