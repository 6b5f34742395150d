/**
 * A self-hosted PMTiles basemap is a file the server hands out from the web root; the browser
 * reads it with HTTP Range requests. This checks that the app as server/index.ts assembles it
 * (createApp, then `serveWebApp` over the web root) answers Range requests with 206 and that the
 * pmtiles library reads a real archive through it over HTTP.
 *
 * The pmtiles package only reads archives, so the tiny archive is written here (spec v3: header,
 * root directory, JSON metadata, tile data; no compression).
 */
import { serve, type ServerType } from '@hono/node-server';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FetchSource, PMTiles, TileType, zxyToTileId } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWebApp } from '../../server/web-app.ts';
import { cityApp, type TestApp } from '../helpers/app.ts';

function varint(n: number, out: number[]): void {
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

/** A PMTiles v3 archive of raster tiles `{z,x,y → bytes}`, uncompressed, all in the root directory. */
function writePmtiles(tiles: { z: number; x: number; y: number; data: Uint8Array }[], metadata: object): Uint8Array {
  const entries = tiles.map((t) => ({ ...t, id: zxyToTileId(t.z, t.x, t.y) })).sort((a, b) => a.id - b.id);
  let offset = 0;
  const placed = entries.map((e) => {
    const entry = { tileId: e.id, offset, length: e.data.length, runLength: 1 };
    offset += e.data.length;
    return entry;
  });
  const dir: number[] = [];
  varint(placed.length, dir);
  placed.forEach((e, i) => varint(e.tileId - (i ? placed[i - 1].tileId : 0), dir));
  placed.forEach((e) => varint(e.runLength, dir));
  placed.forEach((e) => varint(e.length, dir));
  placed.forEach((e, i) => varint(i > 0 && e.offset === placed[i - 1].offset + placed[i - 1].length ? 0 : e.offset + 1, dir));
  const meta = new TextEncoder().encode(JSON.stringify(metadata));
  const HEADER = 127;
  const rootOffset = HEADER;
  const metaOffset = rootOffset + dir.length;
  const dataOffset = metaOffset + meta.length;
  const file = new Uint8Array(dataOffset + offset);
  const v = new DataView(file.buffer);
  file.set(new TextEncoder().encode('PMTiles'), 0);
  v.setUint8(7, 3);
  const u64 = (at: number, n: number) => v.setBigUint64(at, BigInt(n), true);
  u64(8, rootOffset);
  u64(16, dir.length);
  u64(24, metaOffset);
  u64(32, meta.length);
  u64(40, dataOffset); // no leaf directories
  u64(48, 0);
  u64(56, dataOffset);
  u64(64, offset);
  u64(72, placed.length);
  u64(80, placed.length);
  u64(88, placed.length);
  v.setUint8(96, 1); // clustered
  v.setUint8(97, 1); // internal compression: none
  v.setUint8(98, 1); // tile compression: none
  v.setUint8(99, TileType.Png);
  v.setUint8(100, 0);
  v.setUint8(101, 1);
  const e7 = (at: number, deg: number) => v.setInt32(at, Math.round(deg * 1e7), true);
  e7(102, 102.6);
  e7(106, 24.9);
  e7(110, 102.9);
  e7(114, 25.2);
  v.setUint8(118, 1);
  e7(119, 102.75);
  e7(123, 25.05);
  file.set(Uint8Array.from(dir), rootOffset);
  file.set(meta, metaOffset);
  entries.forEach((e, i) => file.set(e.data, dataOffset + placed[i].offset));
  return file;
}

/** Tile bytes that say which tile they are, padded so the archive is larger than the reader's first 16 KiB request. */
function tileBytes(z: number, x: number, y: number): Uint8Array {
  const bytes = new Uint8Array(9000).fill(z * 16 + x * 4 + y);
  bytes.set(new TextEncoder().encode(`tile ${z}/${x}/${y}`));
  return bytes;
}

describe('a self-hosted PMTiles file served from the web root', () => {
  let t: TestApp;
  let root: string;
  let server: ServerType;
  let url: string;
  let archive: Uint8Array;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'civgrid-pmtiles-'));
    await mkdir(join(root, 'tiles'));
    const tiles = [{ z: 0, x: 0, y: 0 }, { z: 1, x: 0, y: 0 }, { z: 1, x: 1, y: 0 }, { z: 1, x: 0, y: 1 }, { z: 1, x: 1, y: 1 }];
    archive = writePmtiles(tiles.map((p) => ({ ...p, data: tileBytes(p.z, p.x, p.y) })), { name: 'city', attribution: '© test' });
    await writeFile(join(root, 'tiles', 'city.pmtiles'), archive);
    t = await cityApp();
    serveWebApp(t.app, root);
    server = await new Promise((resolve) => {
      const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tiles/city.pmtiles`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      (server as import('node:http').Server | undefined)?.closeAllConnections?.();
      if (server) server.close(() => resolve());
      else resolve();
    });
    await t?.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  it('answers a Range request with 206 and exactly the bytes asked for', async () => {
    expect(archive.length).toBeGreaterThan(16384);
    const res = await fetch(url, { headers: { range: 'bytes=100-199' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 100-199/${archive.length}`);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(archive.slice(100, 200));
    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(Number(whole.headers.get('content-length'))).toBe(archive.length);
  });

  it('is readable by the pmtiles library over HTTP: header, metadata and tiles', async () => {
    const p = new PMTiles(new FetchSource(url));
    const header = await p.getHeader();
    expect(header).toMatchObject({ specVersion: 3, tileType: TileType.Png, minZoom: 0, maxZoom: 1, numAddressedTiles: 5 });
    expect(header.minLon).toBeCloseTo(102.6, 6);
    expect(await p.getMetadata()).toEqual({ name: 'city', attribution: '© test' });
    for (const [z, x, y] of [[0, 0, 0], [1, 1, 0], [1, 0, 1]] as const) {
      const tile = await p.getZxy(z, x, y);
      expect(new Uint8Array(tile!.data)).toEqual(tileBytes(z, x, y));
    }
    expect(await p.getZxy(2, 0, 0)).toBeUndefined();
  });
});
