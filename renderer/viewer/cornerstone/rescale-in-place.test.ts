import { describe, expect, it } from 'vitest';
import { rescaleInPlace } from './rescale-in-place';

describe('rescaleInPlace', () => {
  it('CT: unsigned stored values with intercept -1024 become signed HU over the same buffer', () => {
    const raw = Uint16Array.from([0, 1024, 1064, 1324, 4095]);
    const r = rescaleInPlace(raw, 1, -1024);
    expect(r).toBeDefined();
    expect(r!.pixels).toBeInstanceOf(Int16Array);
    expect(r!.pixels.buffer).toBe(raw.buffer);
    expect(Array.from(r!.pixels)).toEqual([-1024, 0, 40, 300, 3071]);
    expect([r!.min, r!.max]).toEqual([-1024, 3071]);
  });

  it("follows the volume's type when given and refuses what does not fit it", () => {
    const r = rescaleInPlace(Uint16Array.from([10, 20]), 1, 0, 'Int16Array');
    expect(r!.pixels).toBeInstanceOf(Int16Array);
    expect(Array.from(r!.pixels)).toEqual([10, 20]);
    expect(rescaleInPlace(Uint16Array.from([0, 40000]), 1, 0, 'Int16Array')).toBeUndefined();
    expect(rescaleInPlace(Int16Array.from([-5, 5]), 1, 0, 'Float32Array')).toBeUndefined();
  });

  it('leaves to the library what it would store in 8 bits or outside 16 bits', () => {
    expect(rescaleInPlace(Uint16Array.from([0, 200]), 1, 0)).toBeUndefined();
    expect(rescaleInPlace(Uint16Array.from([0, 60000]), 2, 0)).toBeUndefined();
    const signed = rescaleInPlace(Int16Array.from([-2000, 1000]), 2, 0);
    expect(Array.from(signed!.pixels)).toEqual([-4000, 2000]);
  });

  it('slope and intercept like the loader: stored × slope + intercept, negative slope swaps the range', () => {
    const r = rescaleInPlace(Uint16Array.from([100, 300]), -1, 1000);
    expect(Array.from(r!.pixels)).toEqual([900, 700]);
    expect([r!.min, r!.max]).toEqual([700, 900]);
    expect(r!.pixels).toBeInstanceOf(Uint16Array);
  });
});
