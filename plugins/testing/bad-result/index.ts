/** Test plugin: returns a labelmap that does not fit its geometry and a NaN measurement. */
import { definePlugin } from '@qiview/sdk';

export default definePlugin({
  async run(input) {
    const geometry = input.series.ct!.volume.geometry;
    return {
      labelmaps: [{ id: 'bad', name: 'bad', geometry, data: new Uint8Array(5), segments: [] }],
      maps: [],
      measurements: [{ key: 'nan', name: 'NaN', value: Number.NaN, unit: '1' }],
      findings: [],
    };
  },
});
