import { describe, expect, it } from 'vitest';
import { SCREEN_PANELS } from '../../server/routes/screen-config.ts';
import { applyUrlOverrides, BUNDLED_CONFIG, colourVariables, PANEL_KINDS, wallTitle } from '../../web/screen/config.ts';
import { parseScreenConfig } from '../../server/routes/screen-config.ts';

const params = (s: string) => new URLSearchParams(s);

describe('screen configuration in the browser', () => {
  it('knows every panel the server accepts', () => {
    expect([...PANEL_KINDS].sort()).toEqual([...SCREEN_PANELS].sort());
  });

  it('bundles a complete file: the schema adds nothing to it', () => {
    expect(parseScreenConfig(BUNDLED_CONFIG)).toEqual(BUNDLED_CONFIG);
  });

  it('takes the title and tour from the URL', () => {
    const { config, warnings } = applyUrlOverrides(BUNDLED_CONFIG, params('title=测试中心&tour=30&tourStreets=5'));
    expect(config.title).toBe('测试中心');
    // The wall's own title wins in English too.
    expect(config.titleEn).toBeUndefined();
    expect(config.tour).toMatchObject({ seconds: 30, streets: 5 });
    expect(warnings).toEqual([]);
  });

  it('keeps the listed panels in the listed order, dropping unknown and repeated ones', () => {
    const { config, warnings } = applyUrlOverrides(BUNDLED_CONFIG, params('panels=ticker,kpis,weather,ticker'));
    expect(config.panels).toEqual(['ticker', 'kpis']);
    expect(warnings).toEqual(['ignored ?panels=weather']);
  });

  it('ignores a bad value with a warning instead of failing', () => {
    const { config, warnings } = applyUrlOverrides(BUNDLED_CONFIG, params('tour=abc&refresh=5&period=week'));
    expect(config.tour.seconds).toBe(BUNDLED_CONFIG.tour.seconds);
    expect(config.refreshSeconds).toBe(BUNDLED_CONFIG.refreshSeconds);
    expect(config.period).toBe(BUNDLED_CONFIG.period);
    expect(warnings).toHaveLength(3);
  });

  it('does not change the configuration it was given', () => {
    applyUrlOverrides(BUNDLED_CONFIG, params('tour=45'));
    expect(BUNDLED_CONFIG.tour.seconds).toBe(0);
  });

  it('draws only the map layers listed in ?layers=', () => {
    const { config, warnings } = applyUrlOverrides(BUNDLED_CONFIG, params('layers=heat,labels,stars'));
    expect(config.map).toEqual({ grids: false, heat: true, sites: false, pulses: false, labels: true });
    expect(warnings).toEqual(['ignored ?layers=stars']);
  });

  it('turns on the test hook only when asked', () => {
    expect(applyUrlOverrides(BUNDLED_CONFIG, params('')).testHook).toBe(false);
    expect(applyUrlOverrides(BUNDLED_CONFIG, params('test=1')).testHook).toBe(true);
  });

  it('stands the wall for the unit ?scope= names, and warns about a scope it cannot show', () => {
    expect(applyUrlOverrides(BUNDLED_CONFIG, params('scope=district:530111')).scope).toEqual({ level: 'district', id: '530111' });
    expect(applyUrlOverrides(BUNDLED_CONFIG, params('')).scope).toBeNull();
    const grid = applyUrlOverrides(BUNDLED_CONFIG, params('scope=grid:G1'));
    expect(grid.scope).toBeNull();
    expect(grid.warnings).toEqual(['ignored ?scope=grid:G1']);
  });

  it('names the wall after its region unless a title is configured', () => {
    const named = () => '昆明市创文网格化管理指挥中心';
    expect(wallTitle({}, false, named)).toBe('昆明市创文网格化管理指挥中心');
    expect(wallTitle({ title: '官渡区指挥中心' }, false, named)).toBe('官渡区指挥中心');
    expect(wallTitle({ title: '官渡区指挥中心', titleEn: 'Guandu' }, true, named)).toBe('Guandu');
    expect(wallTitle({ title: '官渡区指挥中心' }, true, named)).toBe('官渡区指挥中心');
    expect(wallTitle({}, true, () => 'Kunming')).toBe('Kunming');
    // The committed file sets no title: the demo city's wall is named after 昆明市.
    expect(BUNDLED_CONFIG.title).toBeUndefined();
  });

  it('exposes colours as CSS variables', () => {
    expect(colourVariables(BUNDLED_CONFIG.colours)['--scr-accent']).toBe(BUNDLED_CONFIG.colours.accent);
  });
});
