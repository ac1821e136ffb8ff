/** Test plugin: reports progress, then throws a plain Error. */
import { definePlugin } from '@qiview/sdk';

export default definePlugin({
  async run(_input, context) {
    context.progress(0.2, 'about to fail');
    context.log('info', 'throwing on purpose');
    throw new Error('deliberate failure in test plugin');
  },
});
