/** Test plugin: a synchronous infinite loop that never checks cancellation (only terminating the worker stops it). */
import { definePlugin } from '@qiview/sdk';

export default definePlugin({
  async run(_input, context) {
    context.progress(0.1, 'spinning forever');
    let x = 0;
    for (;;) x = (x + 1) % 1_000_003;
  },
});
