/**
 * PNG export of the map view: the MapLibre canvas (basemap) and the deck.gl canvas (data layers
 * and labels) composited into one image with a caption, because the two are separate canvases
 * when deck.gl is overlaid (`interleaved: false`, docs/decisions.md).
 */

/** Caption lines drawn on the image: what, where, when. */
export interface ExportCaption {
  title: string;
  lines: string[];
}

/**
 * Draws `layers` (bottom first, each scaled to the first one's size) and the caption onto a new
 * canvas and returns it as a PNG data URL. The caller makes sure each canvas still holds its last
 * frame (MapLibre: `map.redraw()` in the same task; deck.gl keeps its drawing buffer).
 */
export function composeMapPng(layers: readonly HTMLCanvasElement[], caption: ExportCaption, font = 'sans-serif'): string {
  const base = layers[0];
  const out = document.createElement('canvas');
  out.width = base.width;
  out.height = base.height;
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('2D canvas unavailable');
  for (const layer of layers) ctx.drawImage(layer, 0, 0, out.width, out.height);
  const scale = base.width / Math.max(1, base.clientWidth || base.width);
  const pad = 10 * scale;
  const titleSize = 16 * scale;
  const lineSize = 12 * scale;
  ctx.font = `600 ${titleSize}px ${font}`;
  const widths = [ctx.measureText(caption.title).width];
  ctx.font = `${lineSize}px ${font}`;
  for (const line of caption.lines) widths.push(ctx.measureText(line).width);
  const boxW = Math.max(...widths) + pad * 2;
  const boxH = pad * 2 + titleSize * 1.3 + caption.lines.length * lineSize * 1.4;
  ctx.fillStyle = 'rgba(255,255,255,0.9)';
  ctx.fillRect(pad, pad, boxW, boxH);
  ctx.fillStyle = '#1f2a3a';
  ctx.textBaseline = 'top';
  ctx.font = `600 ${titleSize}px ${font}`;
  ctx.fillText(caption.title, pad * 2, pad * 2);
  ctx.font = `${lineSize}px ${font}`;
  ctx.fillStyle = '#475467';
  caption.lines.forEach((line, i) => ctx.fillText(line, pad * 2, pad * 2 + titleSize * 1.3 + i * lineSize * 1.4));
  return out.toDataURL('image/png');
}

/** Starts a browser download of a data URL or object URL. */
export function download(url: string, filename: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}
