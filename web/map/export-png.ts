/**
 * PNG export of the map view: the MapLibre canvas (basemap) and the deck.gl canvas (data layers
 * and labels) composited into one image with a caption, because the two are separate canvases
 * when deck.gl is overlaid (`interleaved: false`, docs/decisions.md).
 */

/** One row of the map key on the image: a layer's swatches, or its colour ramp. */
export interface ExportLegendRow {
  name: string;
  items: readonly { colour: string; text: string }[];
  ramp?: { colours: readonly string[]; low: string; high: string };
}

/** What is drawn on the image besides the map: what, where, when, under which filters, and the key. */
export interface ExportCaption {
  title: string;
  lines: string[];
  legend?: readonly ExportLegendRow[];
}

/**
 * Draws `layers` (bottom first, each scaled to the first one's size), the caption (top left) and the
 * legend (bottom left) onto a new canvas and returns it as a PNG data URL, so the image read away
 * from the screen still says what its colours mean and which filters made it. The caller makes sure
 * each canvas still holds its last frame (MapLibre: `map.redraw()` in the same task; deck.gl keeps
 * its drawing buffer).
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
  if (caption.legend?.length) drawLegend(ctx, caption.legend, { pad, lineSize, font, height: out.height });
  return out.toDataURL('image/png');
}

/** The key, bottom left: one row per layer, the layer's name then its swatches (or ramp). */
function drawLegend(
  ctx: CanvasRenderingContext2D,
  rows: readonly ExportLegendRow[],
  o: { pad: number; lineSize: number; font: string; height: number },
): void {
  const { pad, lineSize, font } = o;
  const swatch = lineSize * 0.9;
  const gap = lineSize * 0.6;
  const rowH = lineSize * 1.6;
  const rampW = lineSize * 6;
  ctx.font = `${lineSize}px ${font}`;
  const nameW = Math.max(...rows.map((r) => ctx.measureText(r.name).width)) + gap * 2;
  const rowWidth = (r: ExportLegendRow) =>
    r.ramp
      ? ctx.measureText(r.ramp.low).width + rampW + ctx.measureText(r.ramp.high).width + gap * 4
      : r.items.reduce((w, it) => w + swatch + gap / 2 + ctx.measureText(it.text).width + gap, 0);
  const boxW = nameW + Math.max(...rows.map(rowWidth)) + pad * 2;
  const boxH = rows.length * rowH + pad * 1.5;
  const top = o.height - pad - boxH;
  ctx.fillStyle = 'rgba(255,255,255,0.9)';
  ctx.fillRect(pad, top, boxW, boxH);
  ctx.textBaseline = 'middle';
  rows.forEach((r, i) => {
    const y = top + pad * 0.75 + i * rowH + rowH / 2;
    let x = pad * 2;
    ctx.fillStyle = '#1f2a3a';
    ctx.fillText(r.name, x, y);
    x += nameW;
    ctx.fillStyle = '#475467';
    if (r.ramp) {
      ctx.fillText(r.ramp.low, x, y);
      x += ctx.measureText(r.ramp.low).width + gap;
      const gradient = ctx.createLinearGradient(x, 0, x + rampW, 0);
      r.ramp.colours.forEach((c, k) => gradient.addColorStop(k / Math.max(1, r.ramp!.colours.length - 1), c));
      ctx.fillStyle = gradient;
      ctx.fillRect(x, y - swatch / 2, rampW, swatch);
      x += rampW + gap;
      ctx.fillStyle = '#475467';
      ctx.fillText(r.ramp.high, x, y);
      return;
    }
    for (const it of r.items) {
      ctx.fillStyle = it.colour;
      ctx.fillRect(x, y - swatch / 2, swatch, swatch);
      x += swatch + gap / 2;
      ctx.fillStyle = '#475467';
      ctx.fillText(it.text, x, y);
      x += ctx.measureText(it.text).width + gap;
    }
  });
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
