import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { QueueRunConfig } from './batch-queue';
import { processorFromConfig } from './processor-from-config';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const config = (o: Partial<QueueRunConfig> & { pluginDir?: string }): QueueRunConfig => ({
  runId: 'r',
  outDir: '/nonexistent/out',
  pluginId: o.pluginId ?? 'org.qiview.example-threshold',
  pluginVersion: o.pluginVersion ?? '1.0.0',
  options: { pluginDir: o.pluginDir ?? '/elsewhere/on/the/batch/machine', parameters: {} },
});

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'tools/build-plugins.mjs')], { cwd: root, stdio: 'pipe' });
}, 60_000);

describe('processorFromConfig on a worker machine', () => {
  it("finds the run's plugin by id when the batch machine's folder is not here", async () => {
    const built = await processorFromConfig(config({}));
    expect(typeof built.process).toBe('function');
    await built.close();
  });

  it('refuses another version of the plugin (no mixed-version summaries)', async () => {
    await expect(processorFromConfig(config({ pluginVersion: '9.9.9' }))).rejects.toThrow(
      /is org\.qiview\.example-threshold 1\.0\.0, the run needs org\.qiview\.example-threshold 9\.9\.9: install that version/,
    );
  });

  it('names where it looked when the plugin is nowhere', async () => {
    await expect(processorFromConfig(config({ pluginId: 'org.example.absent' }))).rejects.toThrow(
      /plugin org\.example\.absent 1\.0\.0 is not at \/elsewhere\/on\/the\/batch\/machine on this machine, nor installed here: plugin org\.example\.absent not found/,
    );
  });
});
