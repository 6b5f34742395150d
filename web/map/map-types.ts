/** Event shapes of MapView, in a .ts file so stores and composables can use them without the component. */

/** The camera, as emitted on every settled move. */
export interface MapViewChange {
  lon: number;
  lat: number;
  zoom: number;
  /** [west, south, east, north] of the visible map. */
  bounds: [number, number, number, number];
}

/** A click: where, what deck.gl picked (if anything) and which street/community lies there. */
export interface MapClick {
  lngLat: [number, number];
  layerId: string | null;
  object: unknown;
  street: string | null;
  community: string | null;
}
