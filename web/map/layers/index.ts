/**
 * Pure deck.gl layer builders with stable ids, shared by the workspace and the big screen.
 * Each builder takes plain data (API answers or records derived from them once) and options,
 * and returns layers; nothing here touches Vue, the DOM or the network.
 */
export * from './class-breaks';
export * from './colours';
export * from './geometry';
export * from './grid-choropleth';
export * from './grid-values';
export * from './heat';
export * from './issue-points';
export * from './key-sites';
export * from './live-pulses';
export * from './region-labels';
