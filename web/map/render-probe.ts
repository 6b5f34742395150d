/**
 * The map's render probe for browser measurements, kept only under automation
 * (navigator.webdriver): when deck.gl last drew, and which grid values that frame showed, so the
 * benchmark can time a filter click to the repaint it causes. One small object, overwritten.
 */
import type { Layer } from '@deck.gl/core';
import { GRID_CHOROPLETH_ID } from './layers/grid-choropleth';

/** `window.__civgridMapRender`. */
export interface MapRenderProbe {
  /** `performance.now()` after the latest frame. */
  renderedAt: number;
  /** The choropleth's fill trigger in that frame (it changes with every values answer), or null. */
  gridValues: string | null;
}

declare global {
  interface Window {
    __civgridMapRender?: MapRenderProbe;
  }
}

const probing = typeof navigator !== 'undefined' && navigator.webdriver === true;

/** Notes a drawn frame of `layers` (deck.gl's onAfterRender); nothing outside automation. */
export function noteRender(layers: readonly Layer[]): void {
  if (!probing) return;
  const grid = layers.find((l) => l.id === GRID_CHOROPLETH_ID);
  const trigger = (grid?.props.updateTriggers as Record<string, unknown> | undefined)?.getFillColor;
  window.__civgridMapRender = { renderedAt: performance.now(), gridValues: trigger === undefined ? null : JSON.stringify(trigger) };
}
