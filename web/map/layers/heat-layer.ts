/**
 * The heat map's deck.gl layer. deck.gl's aggregation layers are loaded only where heat is
 * switched on: pages import this module with `import()` when they first draw heat, never through
 * the layers' index.
 */
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import type { UpdateParameters } from '@deck.gl/core';
import { hexToRgba, HEAT_PALETTE } from './colours';
import { HEAT_ID, type HeatPoint } from './heat';

/**
 * Whether an update only brings new weights for the same points: deck.gl's heatmap saw new data
 * (`aggregationChanged`: a changed attribute or `getWeight` trigger) while neither the data object
 * nor the positions changed — a playback frame. Pure.
 */
export function weightsOnlyUpdate(aggregationChanged: boolean, dataObjectChanged: boolean, positionsChanged: boolean): boolean {
  return aggregationChanged && !dataObjectChanged && !positionsChanged;
}

/**
 * deck.gl's heatmap treats any changed attribute as new data: it re-measures the points' bounds and
 * builds a new weights program (compile and link, seconds per frame in software WebGL). Playback
 * changes only the weights of the same bins, so this layer then redraws the weight map alone,
 * with the program and bounds it has. Everything else goes through deck.gl unchanged.
 */
class FrameHeatmapLayer extends HeatmapLayer<HeatPoint> {
  static layerName = 'FrameHeatmapLayer';

  override _getChangeFlags(opts: UpdateParameters<this>): ReturnType<HeatmapLayer<HeatPoint>['_getChangeFlags']> {
    const flags = super._getChangeFlags(opts);
    const positions = (this.state as { positionAttributeName?: string }).positionAttributeName;
    if (!weightsOnlyUpdate(Boolean(flags.dataChanged), Boolean(opts.changeFlags.dataChanged), positions ? Boolean(this.isAttributeChanged(positions)) : true)) return flags;
    this.setState({ isWeightMapDirty: true });
    return { ...flags, dataChanged: false };
  }

  /**
   * deck.gl builds a new weights program whenever the data changes, in case binary attributes
   * changed the buffer layout. This layer's attributes come from accessors, whose layout never
   * changes, so the program it has is kept: new bins (a refresh, a pan) cost no compile — seconds
   * of frozen page in software WebGL, each time.
   */
  override _createWeightsTransform(shaders: Parameters<HeatmapLayer<HeatPoint>['_createWeightsTransform']>[0]): void {
    if (!keepWeightsProgram(Boolean(this.state.weightsTransform), this.context.device.type)) super._createWeightsTransform(shaders);
  }

  /**
   * The pass finding the densest texel (a draw of one point per texel of the weight map) sets the
   * ramp's top only when no colour domain is given; with one (playback's fixed ramp) it is skipped.
   */
  override _updateMaxWeightValue(): void {
    if (needsMaxWeight(this.props.colorDomain)) super._updateMaxWeightValue();
  }
}

/** Whether the weights program in hand serves new data: it exists and WebGL's layout is the accessors'. Pure. */
export function keepWeightsProgram(hasProgram: boolean, deviceType: string): boolean {
  return hasProgram && deviceType !== 'webgpu';
}

/** Whether the colour ramp needs the densest texel: only without a colour domain of its own. Pure. */
export function needsMaxWeight(colorDomain: readonly [number, number] | null | undefined): boolean {
  return !colorDomain || !(colorDomain[1] > 0);
}

/** Options of {@link buildHeatLayer}. */
export interface HeatLayerOptions {
  points: HeatPoint[];
  visible?: boolean;
  /** Kernel radius in pixels. */
  radiusPixels?: number;
  opacity?: number;
  /**
   * Weights aligned to `points`, instead of each point's own (playback: one frame's counts over
   * the bins of every frame). Keep `points` the same array and change `weightsKey` with each
   * frame: deck.gl then re-aggregates the weights only, never re-uploads the positions.
   */
  weights?: ArrayLike<number>;
  /** Changes whenever `weights` does (the frame index). */
  weightsKey?: string | number;
  /**
   * A fixed ramp, in issues per bin: the top colour at `top` and more (playback: one scale for
   * every frame). The layer then shows the kernel-weighted mean count of the bins around each
   * pixel (deck.gl's MEAN), a count a legend can name; without it (SUM), each draw stretches the
   * ramp to its own densest spot, so colours compare only within one picture.
   */
  top?: number;
}

/**
 * Texels along the weight map's side while frames play (deck.gl's default 2048): the map is redrawn
 * per frame, at a cost that grows with its area; 512 texels across a view of a city are 2–4 screen
 * pixels each, well under the kernel's 36-pixel radius, so the surface looks the same.
 */
export const FRAME_WEIGHTS_TEXTURE = 512;

/** Below this share of the ramp's top a pixel fades out instead of taking the palest colour. */
const HEAT_THRESHOLD = 0.05;

/** The heat layer (id {@link HEAT_ID}); replace `points` only when new bins have arrived, so it never blinks empty. */
export function buildHeatLayer(o: HeatLayerOptions): HeatmapLayer<HeatPoint> {
  const weights = o.weights ?? [];
  return new FrameHeatmapLayer({
    id: HEAT_ID,
    data: o.points,
    visible: o.visible ?? true,
    opacity: o.opacity ?? 0.75,
    radiusPixels: o.radiusPixels ?? 36,
    intensity: 1,
    threshold: HEAT_THRESHOLD,
    ...(o.top ? { aggregation: 'MEAN' as const, colorDomain: [o.top * HEAT_THRESHOLD, o.top] as [number, number] } : { aggregation: 'SUM' as const }),
    colorRange: HEAT_PALETTE.map((c) => hexToRgba(c).slice(0, 3) as [number, number, number]),
    getPosition: (d) => d.position,
    getWeight: o.weights ? (_d, { index }) => weights[index] ?? 0 : (d) => d.weight,
    updateTriggers: { getWeight: [o.weightsKey ?? null] },
    // Frames redraw the weight map on every change: a coarser one keeps that within a frame's time.
    ...(o.weights ? { weightsTextureSize: FRAME_WEIGHTS_TEXTURE } : {}),
  });
}
