/** The worker runtime in-process (no thread): protocol version check and the start → result exchange. */
import { describe, expect, it } from 'vitest';
import { serveWorker, type WorkerPort } from '../../core/common/plugin-host/worker-runtime';
import type { WorkerMessage } from '../../core/common/plugin-host/protocol';
import { KERNELS_WASM_PATH } from '../../wasm/node/load-kernels';
import { readFile } from 'node:fs/promises';
import { parseManifest } from '@qiview/sdk';
import manifestJson from '../../plugins/testing/throws/manifest.json';

function harness(plugin: unknown) {
  const sent: WorkerMessage[] = [];
  let handler: (m: unknown) => void = () => undefined;
  const port: WorkerPort = { post: (m) => sent.push(m), onMessage: (h) => (handler = h) };
  serveWorker(port, {
    importPlugin: async () => ({ default: plugin }),
    readBytes: async () => new Uint8Array(await readFile(KERNELS_WASM_PATH)),
    openSession: async () => {
      throw new Error('no models here');
    },
  });
  return { sent, send: (m: unknown) => handler(m) };
}

describe('plugin worker protocol', () => {
  it('refuses a message of another protocol version', () => {
    const h = harness({ run: async () => ({}) });
    h.send({ v: 2, type: 'start', runId: 'r1' });
    expect(h.sent).toEqual([
      {
        v: 1,
        type: 'error',
        runId: 'r1',
        error: { name: 'ProtocolError', message: 'unsupported protocol message (want v1)' },
      },
    ]);
  });

  it('answers start with progress then result, and refuses models without the permission', async () => {
    const m = parseManifest(manifestJson);
    if (!m.ok) throw new Error(m.errors.join());
    const h = harness({
      run: async (_: unknown, ctx: { progress(f: number): void; model(id: string): Promise<unknown> }) => {
        ctx.progress(2); // clamped to 1
        const err = await ctx.model('x').catch((e: Error) => e.message);
        return { labelmaps: [], maps: [], measurements: [], findings: [String(err)] };
      },
    });
    h.send({
      v: 1,
      type: 'start',
      runId: 'r2',
      pluginUrl: 'mem:plugin',
      manifest: m.manifest,
      input: { series: {}, parameters: {} },
      locale: 'en',
      models: {},
      kernelsUrl: 'file:kernels',
    });
    await expect.poll(() => h.sent.length).toBe(2);
    expect(h.sent[0]).toMatchObject({ type: 'progress', fraction: 1 });
    expect(h.sent[1]).toMatchObject({
      type: 'result',
      runId: 'r2',
      result: { findings: ['the manifest does not request the "models" permission'] },
    });
  });
});
