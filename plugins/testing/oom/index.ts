/** Test plugin: keeps allocating JS heap objects until V8 runs out of memory. */
import { definePlugin } from '@qiview/sdk';

export default definePlugin({
  async run(_input, context) {
    context.progress(0.1, 'allocating');
    const hoard: unknown[] = [];
    for (let i = 0; ; i++) hoard.push({ i, s: `item-${i}`, a: [i, i + 1, i + 2, i + 3] });
  },
});
