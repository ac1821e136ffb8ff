/**
 * Lung fibrosis benchmark (`npm run bench lung`): the whole plugin (segmentation, zones, texture, quantification,
 * result assembly) on a 512×512×300 chest phantom (0.7 × 0.7 × 0.8 mm) in one Node thread with the WASM kernels.
 * Prints one JSON object: ms (plugin run wall time, phantom generation excluded), cpuMs, target 30000 ms, Dice and extent error as a
 * sanity check. `--quick` uses 256×256×150 (harness check only).
 */
import { performance } from 'node:perf_hooks';
import type { Vec3 } from '@qiview/sdk';
import plugin from '../../plugins/lung-fibrosis/index';
import { chestPhantom } from '../phantoms/chest-phantom';
import { createTestContext } from '../support/node-context';

const quick = process.argv.includes('--quick');
const dims: Vec3 = quick ? [256, 256, 150] : [512, 512, 300];
const spacing: Vec3 = quick ? [1.4, 1.4, 1.6] : [0.7, 0.7, 0.8];

const t0 = performance.now();
const ph = chestPhantom({ dims, spacing });
const genMs = performance.now() - t0;
const ctx = await createTestContext();
// stage times from the plugin's progress messages (each stage lasts until the next message)
const marks: Array<{ message: string; at: number }> = [];
const report = ctx.progress.bind(ctx);
ctx.progress = (fraction, message) => {
  if (message) marks.push({ message, at: performance.now() });
  report(fraction, message);
};
const c1 = process.cpuUsage();
const t1 = performance.now();
const r = await plugin.run(
  { series: { ct: { role: 'ct', volume: ph.volume, dicom: { Modality: 'CT' } } }, parameters: {} },
  ctx,
);
const ms = performance.now() - t1;
const stagesMs: Record<string, number> = {};
marks.forEach((m, i) => {
  stagesMs[m.message] = Math.round((marks[i + 1]?.at ?? t1 + ms) - m.at);
});
const cpu = process.cpuUsage(c1);
const lungs = r.labelmaps[0].data;
let a = 0,
  b = 0,
  ab = 0;
for (let q = 0; q < lungs.length; q++) {
  const x = lungs[q] > 0,
    y = ph.truth.lungs[q] > 0;
  if (x) a++;
  if (y) b++;
  if (x && y) ab++;
}
const fib = r.measurements.find((m) => m.key === 'lungs_fibrosis_extent')!.value;
console.log(
  JSON.stringify({
    bench: 'lung',
    dims,
    spacing,
    ms: Math.round(ms),
    target: 30000,
    withinTarget: ms < 30000,
    /** CPU time of the run (user + system): the wall time is inflated when the machine is shared. */
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    phantomMs: Math.round(genMs),
    dice: Number(((2 * ab) / (a + b)).toFixed(4)),
    fibrosisErrorPp: Number((fib - ph.expected.fibrosisPct).toFixed(3)),
    wasmMemoryMb: Math.round(ctx.kernels.memoryBytes / 2 ** 20),
    /** Wall time per plugin stage (from its progress messages). */
    stagesMs,
  }),
);
