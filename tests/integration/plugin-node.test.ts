/**
 * The Node plugin host end to end: bundles built by tools/build-plugins.mjs, run in worker_threads. The example
 * plugin on a phantom with exact answers; misbehaving plugins each reported with a reason while this process
 * survives; a tampered model refused before a session opens.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisInput } from '@qiview/sdk';
import { createRegistration } from '../../core/node/itk/registration';
import {
  type HostRegistrationApi,
  RegistrationCancelledError,
} from '../../core/common/plugin-host/run-plugin';
import { runPlugin } from '../../core/node/plugin-host';
import { EXAMPLE_PHANTOM_EXPECTED as E, makeExamplePhantom } from '../../plugins/example/phantom';
import { resultDigest } from './plugin-digest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = path.join(root, 'dist-plugins');
const dir = (id: string) => path.join(dist, id);
const input = (parameters: Record<string, unknown> = {}): AnalysisInput => ({
  series: { ct: { role: 'ct', volume: makeExamplePhantom(), dicom: { Modality: 'CT' } } },
  parameters,
});
let tmp: string;

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'tools/build-plugins.mjs')], { cwd: root, stdio: 'pipe' });
  tmp = mkdtempSync(path.join(tmpdir(), 'qiview-plugin-'));
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('Node plugin host', () => {
  it('runs the example plugin in a worker with exact answers', async () => {
    const progress: number[] = [];
    const volume = input();
    const r = await runPlugin({
      pluginDir: dir('org.qiview.example-threshold'),
      input: volume,
      onProgress: (f) => progress.push(f),
    });
    if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
    const m = Object.fromEntries(r.result.measurements.map((x) => [x.key, x.value]));
    expect(m.voxel_count).toBe(E.voxels);
    expect(m.volume_ml).toBeCloseTo(E.volumeMl, 10);
    expect(m.mean_hu).toBeCloseTo(E.meanHu, 9);
    expect(m.sd_hu).toBeCloseTo(E.sdHu, 9);
    const lm = r.result.labelmaps[0]!;
    expect(lm.data).toBeInstanceOf(Uint8Array);
    expect(lm.data.reduce((a, b) => a + b, 0)).toBe(E.voxels);
    expect(r.result.plots![0]!.series[0]!.y.reduce((a, b) => a + b, 0)).toBe(E.voxels);
    expect(progress.at(-1)).toBe(1);
    // The input was copied, not transferred: the caller's volume is intact.
    expect(volume.series.ct!.volume.data.length).toBe(24 * 20 * 10);
    writeFileSync(path.join(tmp, 'node-digest.json'), JSON.stringify(resultDigest(r.result)));
    console.log(
      `example plugin in worker_threads: ${r.durationMs.toFixed(0)} ms, digest ${resultDigest(r.result).hash}`,
    );
  });

  it('reports a thrown error with its message and the logs before it', async () => {
    const r = await runPlugin({ pluginDir: dir('org.qiview.testing.throws'), input: input() });
    expect(r).toMatchObject({ ok: false, reason: 'error' });
    if (r.ok) return;
    expect(r.message).toMatch(/deliberate failure in test plugin/);
    expect(r.logs).toEqual([{ severity: 'info', message: 'throwing on purpose' }]);
  });

  it('terminates an infinite loop at the time limit', async () => {
    const t0 = performance.now();
    const r = await runPlugin({ pluginDir: dir('org.qiview.testing.hang'), input: input(), timeoutMs: 1500 });
    const ms = performance.now() - t0;
    expect(r).toMatchObject({ ok: false, reason: 'timeout' });
    expect(ms).toBeGreaterThanOrEqual(1500);
    expect(ms).toBeLessThan(6000);
  });

  it('cancels a hanging plugin (terminated after the grace period)', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const r = await runPlugin({
      pluginDir: dir('org.qiview.testing.hang'),
      input: input(),
      signal: controller.signal,
      cancelGraceMs: 300,
    });
    expect(r).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(r.durationMs).toBeLessThan(3000);
  });

  it('stops a cooperative plugin through its signal before the grace period', async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const r = await runPlugin({
      pluginDir: dir('org.qiview.testing.cooperative'),
      input: input(),
      signal: controller.signal,
      cancelGraceMs: 3000,
      onProgress: (f) => {
        progress.push(f);
        if (f >= 0.05) controller.abort();
      },
    });
    expect(r).toMatchObject({ ok: false, reason: 'cancelled', code: 'cancelled' });
    if (!r.ok) expect(r.message).toMatch(/cancelled by the user/);
    expect(r.durationMs).toBeLessThan(2500);
    expect(progress.length).toBeLessThan(20);
  });

  it('reports running out of memory (64 MB manifest limit)', async () => {
    const r = await runPlugin({
      pluginDir: dir('org.qiview.testing.oom'),
      input: input(),
      timeoutMs: 30_000,
    });
    expect(r).toMatchObject({ ok: false, reason: 'out-of-memory' });
    if (!r.ok) expect(r.message).toMatch(/64 MB/);
  }, 60_000);

  it('refuses an invalid result (labelmap size, NaN)', async () => {
    const r = await runPlugin({ pluginDir: dir('org.qiview.testing.bad-result'), input: input() });
    expect(r).toMatchObject({ ok: false, reason: 'invalid-result' });
    if (r.ok) return;
    expect(r.message).toMatch(/5 labels for a 24×20×10 grid \(4800 voxels\)/);
    expect(r.message).toMatch(/value NaN is not a finite number/);
  });

  it('blocks the network inside the worker', async () => {
    const r = await runPlugin({ pluginDir: dir('org.qiview.testing.network'), input: input() });
    if (!r.ok) throw new Error(r.message);
    expect(r.result.findings[0]).toMatch(/^fetch blocked: fetch is not available to plugins/);
  });

  it('refuses a model whose bytes do not match the manifest sha256', async () => {
    const copy = path.join(tmp, 'tampered');
    cpSync(dir('org.qiview.example-threshold'), copy, { recursive: true });
    writeFileSync(path.join(copy, 'models/identity.onnx'), Buffer.from('not the declared model'));
    const r = await runPlugin({ pluginDir: copy, input: input() });
    expect(r).toMatchObject({ ok: false, reason: 'error', code: 'model-hash-mismatch' });
    if (!r.ok) expect(r.message).toMatch(/sha256 [0-9a-f]{64} does not match the manifest's d994b8ae/);
  });

  it('refuses missing inputs, bad parameters and a missing bundle without starting a worker', async () => {
    const a = await runPlugin({
      pluginDir: dir('org.qiview.example-threshold'),
      input: { series: {}, parameters: {} },
    });
    expect(a).toMatchObject({ ok: false, reason: 'invalid-input', message: 'required input(s) missing: ct' });
    const b = await runPlugin({
      pluginDir: dir('org.qiview.example-threshold'),
      input: input({ lowerHu: 'x' }),
    });
    expect(b).toMatchObject({ ok: false, reason: 'invalid-input' });
    const c = await runPlugin({ pluginDir: path.join(tmp, 'nothing-here'), input: input() });
    expect(c).toMatchObject({ ok: false, reason: 'invalid-input' });
    if (!c.ok) expect(c.message).toMatch(/invalid manifest/);
  });

  it('still runs a good plugin after all the failures (host survived)', async () => {
    const r = await runPlugin({
      pluginDir: dir('org.qiview.example-threshold'),
      input: input({ lowerHu: 250 }),
    });
    if (!r.ok) throw new Error(r.message);
    // 300 HU sits on columns i = 6, 8, 10 (rows of 6 alternate 200/300): three separate 5×4 planes of 20 voxels;
    // the largest component is one plane.
    expect(r.result.measurements.find((m) => m.key === 'voxel_count')!.value).toBe(20);
    expect(r.result.measurements.find((m) => m.key === 'mean_hu')!.value).toBe(300);
  });
});

describe('Node plugin host: registration', () => {
  it('offers itk-wasm elastix as context.registration inside the worker', async () => {
    const r = await runPlugin({ pluginDir: dir('org.qiview.testing.registration'), input: input() });
    if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
    const m = Object.fromEntries(r.result.measurements.map((x) => [x.key, x.value]));
    expect(m.tx_mm).toBeCloseTo(6, 0);
    expect(Math.abs(m.ty_mm!)).toBeLessThan(0.5);
    expect(Math.abs(m.tz_mm!)).toBeLessThan(0.5);
  }, 60_000);

  it('answers the worker over the protocol when the host runs the registration (as the browser page does)', async () => {
    const r = await runPlugin({
      pluginDir: dir('org.qiview.testing.registration'),
      input: input(),
      registration: createRegistration(),
    });
    if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
    const m = Object.fromEntries(r.result.measurements.map((x) => [x.key, x.value]));
    expect(m.tx_mm).toBeCloseTo(6, 0);
    expect(Math.abs(m.ty_mm!)).toBeLessThan(0.5);
    expect(Math.abs(m.tz_mm!)).toBeLessThan(0.5);
    expect(r.result.findings).toEqual(['EulerTransform']);
    expect(r.logs.map((l) => l.message)).toContainEqual(
      expect.stringMatching(/^host registration \(EulerTransform\): \d+ ms$/),
    );
  }, 60_000);

  it("reports the host's registration failure to the plugin as a rejected register()", async () => {
    const r = await runPlugin({
      pluginDir: dir('org.qiview.testing.registration'),
      input: input(),
      registration: {
        register: () =>
          Promise.reject(Object.assign(new Error('fixed and moving differ'), { code: 'bad-volumes' })),
      },
    });
    expect(r).toMatchObject({ ok: false, reason: 'error', code: 'bad-volumes' });
    expect(r.ok || r.message).toContain('fixed and moving differ');
  });

  /** A host registration that records its signal and settles only when that signal aborts (as the browser's does). */
  const stalledRegistration = () => {
    const seen: { signal?: AbortSignal; calls: number; started: Promise<void> } = {
      calls: 0,
      started: Promise.resolve(),
    };
    let started = () => {};
    seen.started = new Promise((r) => (started = r));
    const registration: HostRegistrationApi = {
      register: (_f, _m, _o, signal) => {
        seen.calls++;
        seen.signal = signal;
        started();
        return new Promise((_, reject) =>
          signal?.addEventListener('abort', () => reject(new RegistrationCancelledError()), { once: true }),
        );
      },
    };
    return { seen, registration };
  };

  it("aborts the host's registration when the run is cancelled while it registers", async () => {
    const { seen, registration } = stalledRegistration();
    const controller = new AbortController();
    const run = runPlugin({
      pluginDir: dir('org.qiview.testing.registration'),
      input: input(),
      registration,
      signal: controller.signal,
      cancelGraceMs: 200,
    });
    await seen.started;
    expect(seen.signal?.aborted).toBe(false);
    const t = performance.now();
    controller.abort();
    const r = await run;
    expect(r).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(seen.calls).toBe(1);
    expect(seen.signal?.aborted).toBe(true);
    expect(seen.signal?.reason).toBeInstanceOf(RegistrationCancelledError);
    console.log(
      `cancel during host registration: run ended ${Math.round(performance.now() - t)} ms after Cancel`,
    );
  }, 30_000);

  it("aborts the host's registration when the run times out while it registers", async () => {
    const { seen, registration } = stalledRegistration();
    const r = await runPlugin({
      pluginDir: dir('org.qiview.testing.registration'),
      input: input(),
      registration,
      timeoutMs: 1500,
    });
    expect(r).toMatchObject({ ok: false, reason: 'timeout' });
    expect(seen.calls).toBe(1);
    expect(seen.signal?.aborted).toBe(true);
  }, 30_000);

  it("leaves the host's registration signal alone in a run that ends normally", async () => {
    const signals: AbortSignal[] = [];
    const elastix = createRegistration();
    const r = await runPlugin({
      pluginDir: dir('org.qiview.testing.registration'),
      input: input(),
      registration: {
        register: (f, m, o, signal) => {
          if (signal) signals.push(signal);
          return elastix.register(f, m, o);
        },
      },
    });
    if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
    expect(r.result.measurements.find((x) => x.key === 'tx_mm')!.value).toBeCloseTo(6, 0);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
  }, 60_000);

  it('gives no registration to a plugin that did not ask for the permission', async () => {
    const copy = path.join(tmp, 'no-permission');
    cpSync(dir('org.qiview.testing.registration'), copy, { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(copy, 'manifest.json'), 'utf8'));
    writeFileSync(path.join(copy, 'manifest.json'), JSON.stringify({ ...manifest, permissions: [] }));
    const r = await runPlugin({ pluginDir: copy, input: input() });
    expect(r).toMatchObject({ ok: false, reason: 'error', code: 'no-registration' });
  });
});
