/**
 * Self-hosted PMTiles basemaps (`pmtiles://` sources) are read with HTTP Range requests through
 * the pmtiles library's MapLibre protocol, registered once per page (its cache is global) by
 * importing this module. The library itself loads with the first tile asked for, so a page without
 * a PMTiles basemap never downloads it.
 */
import { addProtocol } from 'maplibre-gl';

let protocol: Promise<import('pmtiles').Protocol> | null = null;

addProtocol('pmtiles', async (params, abort) => {
  protocol ??= import('pmtiles').then(({ Protocol }) => new Protocol());
  return (await protocol).tile(params, abort);
});
