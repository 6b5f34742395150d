/**
 * The choropleth's fill colours as one byte array aligned to the geometry file's feature order,
 * four bytes (r, g, b, a) per feature: a values swap or a playback frame computes it once, and the
 * layer's colour accessor only copies four bytes per polygon. Pure.
 */
import { classOf, hexToRgba, NO_DATA_COLOUR, type ClassedScale } from './colours';

/**
 * The fill of features `0 … count-1`: the class colour of `value(i)` on `scale` (the no-data grey
 * for null) with opacity `alpha(i)`.
 */
export function fillColours(scale: ClassedScale, count: number, value: (i: number) => number | null, alpha: (i: number) => number): Uint8Array {
  // Each class colour parsed once, not once per feature.
  const palette = scale.colours.map((c) => hexToRgba(c));
  const noData = hexToRgba(NO_DATA_COLOUR);
  const out = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) {
    const k = classOf(scale, value(i));
    const c = k < 0 ? noData : palette[k];
    out[4 * i] = c[0];
    out[4 * i + 1] = c[1];
    out[4 * i + 2] = c[2];
    out[4 * i + 3] = alpha(i);
  }
  return out;
}

/** Feature `index`'s colour from {@link fillColours}, written into `target` when given (deck.gl's reusable one). */
export function colourAt(colours: Uint8Array, index: number, target?: number[] | Uint8ClampedArray | Float32Array): [number, number, number, number] {
  const out = (target ?? [0, 0, 0, 0]) as [number, number, number, number];
  out[0] = colours[4 * index];
  out[1] = colours[4 * index + 1];
  out[2] = colours[4 * index + 2];
  out[3] = colours[4 * index + 3];
  return out;
}
