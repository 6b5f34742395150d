import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScreenConfig, parseScreenConfig, screenConfigRoutes, SCREEN_PANELS } from '../../../server/routes/screen-config.ts';

let dir: string;
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'civgrid-screen-config-'))));
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function file(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('screen configuration', () => {
  it('accepts the committed data/screen.json', () => {
    const config = loadScreenConfig('data/screen.json');
    // No title: the wall names itself after the top region of the data it shows.
    expect(config.title).toBeUndefined();
    // Every panel but the optional department lists, which a 16:9 wall has no room for by default.
    expect(new Set(config.panels)).toEqual(new Set(SCREEN_PANELS.filter((p) => p !== 'departments')));
  });

  it('serves the file with defaults filled in', async () => {
    const path = await file('minimal.json', { title: '测试指挥中心' });
    const app = new Hono().route('/api/screen-config', screenConfigRoutes(loadScreenConfig(path)));
    const res = await app.request('/api/screen-config');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      title: '测试指挥中心', period: '30d', refreshSeconds: 60, panels: [...SCREEN_PANELS],
      tour: { seconds: 0, streets: 'all', levels: ['district', 'street'], pauseSeconds: 60 }, map: { heat: true }, colours: { accent: '#35c6ff' },
    });
  });

  it('fails at start naming the variable, the file and the bad field', async () => {
    const path = await file('bad-tour.json', { title: 'x', tour: { seconds: -5 } });
    expect(() => loadScreenConfig(path)).toThrow(`invalid CIVGRID_SCREEN_CONFIG file ${path}:\n  tour.seconds:`);
  });

  it('names a misspelt key instead of ignoring it', () => {
    expect(() => parseScreenConfig({ title: 'x', titel: 'y' })).toThrow(/titel/);
  });

  it('rejects an unknown panel with its position', () => {
    expect(() => parseScreenConfig({ title: 'x', panels: ['kpis', 'weather'] })).toThrow(/panels\.1/);
  });

  it('rejects a panel listed twice', () => {
    expect(() => parseScreenConfig({ title: 'x', panels: ['kpis', 'kpis'] })).toThrow(/panels: a panel is listed twice/);
  });

  it('rejects an external logo URL, which an isolated network could not load', () => {
    expect(() => parseScreenConfig({ title: 'x', logo: 'https://example.com/logo.png' })).toThrow(/logo/);
  });

  it('rejects a colour that is not #rrggbb', () => {
    expect(() => parseScreenConfig({ title: 'x', colours: { accent: 'blue' } })).toThrow(/colours\.accent/);
  });

  it('rejects a tour level that is not below a top, or listed twice', () => {
    expect(parseScreenConfig({ tour: { levels: ['district'] } }).tour.levels).toEqual(['district']);
    expect(() => parseScreenConfig({ tour: { levels: ['city'] } })).toThrow(/tour\.levels\.0/);
    expect(() => parseScreenConfig({ tour: { levels: ['street', 'street'] } })).toThrow(/tour\.levels: a level is listed twice/);
  });

  it('configures the 整改前后对比 carousel: seconds per pair, how many pairs, the period of closures', () => {
    expect(parseScreenConfig({ title: 'x' }).photos).toEqual({ seconds: 10, pairs: 12, period: '30d' });
    expect(parseScreenConfig({ title: 'x', photos: { seconds: 20, pairs: 5, period: 'month' } }).photos).toEqual({ seconds: 20, pairs: 5, period: 'month' });
    expect(() => parseScreenConfig({ title: 'x', photos: { seconds: 1 } })).toThrow(/photos\.seconds/);
    expect(() => parseScreenConfig({ title: 'x', photos: { pairs: 0 } })).toThrow(/photos\.pairs/);
    expect(() => parseScreenConfig({ title: 'x', photos: { period: 'week' } })).toThrow(/photos\.period/);
    expect(() => parseScreenConfig({ title: 'x', photos: { secs: 5 } })).toThrow(/secs/);
  });

  it('names the file when it is not JSON', async () => {
    const path = await file('broken.json', '{ "title": ');
    expect(() => loadScreenConfig(path)).toThrow(`cannot read CIVGRID_SCREEN_CONFIG file ${path}:`);
  });
});
