/** Test plugin: works in 50 ms steps for up to 5 s, checking cancellation between steps (stops by itself). */
import { definePlugin } from '@qiview/sdk';

export default definePlugin({
  async run(_input, context) {
    for (let step = 0; step < 100; step++) {
      context.throwIfCancelled();
      context.progress(step / 100, `step ${step}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { labelmaps: [], maps: [], measurements: [], findings: ['finished'] };
  },
});
