import { describe, expect, it } from 'vitest';
import { colourAt, fillColours } from '../../web/map/layers/fill-colours';
import { colourOf, type ClassedScale } from '../../web/map/layers/colours';

const SCALE: ClassedScale = { metric: 'reported', breaks: [1, 5], colours: ['#ffffb2', '#fecc5c', '#fd8d3c'] };

describe('fillColours: the choropleth colours aligned to the geometry order', () => {
  it('gives feature i the colour of value i on the scale, the no-data grey for null, and its own opacity', () => {
    const values = [0, 3, null, 9];
    const colours = fillColours(SCALE, values.length, (i) => values[i], (i) => (i === 3 ? 60 : 170));
    expect(colours).toHaveLength(16);
    for (let i = 0; i < values.length; i++) expect(colourAt(colours, i)).toEqual(colourOf(SCALE, values[i], i === 3 ? 60 : 170));
  });

  it('writes into the target deck.gl hands over', () => {
    const colours = fillColours(SCALE, 2, (i) => i * 5, () => 255);
    const target = [0, 0, 0, 0];
    expect(colourAt(colours, 1, target)).toBe(target);
    expect(target).toEqual(colourOf(SCALE, 5));
  });
});
