/** Test plugin: tries to reach the network; the host must have blocked fetch. Returns what happened as a finding. */
import { definePlugin } from '@qiview/sdk';

export default definePlugin({
  async run() {
    let outcome: string;
    try {
      await fetch('http://example.com/exfiltrate');
      outcome = 'fetch succeeded';
    } catch (e) {
      outcome = `fetch blocked: ${e instanceof Error ? e.message : String(e)}`;
    }
    return { labelmaps: [], maps: [], measurements: [], findings: [outcome] };
  },
});
