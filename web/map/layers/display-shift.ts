/**
 * Draws built deck.gl layers over a basemap in another CRS (AMap's GCJ-02) without touching the
 * data: the builders keep taking WGS84 API answers, and MapView passes every layer through
 * {@link displayLayer} with the basemap's {@link DisplayProjection}. Picking still returns the
 * original records (point layers) or features with the original properties (GeoJSON layers).
 */
import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer } from '@deck.gl/layers';
import type { DisplayProjection } from '../basemaps';
import { mapGeoJson, type GeoJsonData } from '../geo';

type Position = readonly number[];
type PositionAccessor = (d: unknown, info: unknown) => Position;

const shifted = new WeakMap<Layer, { projection: DisplayProjection; layer: Layer }>();

/**
 * The layer as drawn with `projection`: itself for WGS84; otherwise a clone whose GeoJSON data
 * (GeoJsonLayer) or `getPosition` (scatterplot, text, heat …) is mapped through `toDisplay`.
 * Mapped GeoJSON is cached per data object and the clone per layer, so redrawing the same layer
 * (every frame while the map moves) recomputes nothing. Layers with neither are returned as they are.
 */
export function displayLayer(layer: Layer, projection: DisplayProjection): Layer {
  if (projection.crs === 'wgs84') return layer;
  const hit = shifted.get(layer);
  if (hit?.projection === projection) return hit.layer;
  const props = layer.props as unknown as { data: unknown; getPosition?: unknown; updateTriggers?: Record<string, unknown> };
  const { toDisplay } = projection;
  let out: Layer = layer;
  if (layer instanceof GeoJsonLayer) {
    if (props.data && typeof props.data === 'object') out = layer.clone({ data: mapGeoJson(props.data as GeoJsonData, toDisplay) as never });
  } else if (typeof props.getPosition === 'function') {
    const get = props.getPosition as PositionAccessor;
    const previous = props.updateTriggers?.getPosition;
    out = layer.clone({
      getPosition: ((d: unknown, info: unknown) => {
        const p = get(d, info);
        return toDisplay(p[0], p[1]);
      }) as never,
      // Accessor functions are not compared by deck.gl: the trigger makes a change of CRS recompute positions.
      updateTriggers: { ...props.updateTriggers, getPosition: [previous, `display:${projection.crs}`] },
    } as never);
  } else if (Array.isArray(props.getPosition)) {
    const [lon, lat] = props.getPosition as number[];
    out = layer.clone({ getPosition: toDisplay(lon, lat) } as never);
  }
  shifted.set(layer, { projection, layer: out });
  return out;
}

/** {@link displayLayer} of each layer. */
export function displayLayers(layers: readonly Layer[], projection: DisplayProjection): Layer[] {
  return projection.crs === 'wgs84' ? [...layers] : layers.map((l) => displayLayer(l, projection));
}
