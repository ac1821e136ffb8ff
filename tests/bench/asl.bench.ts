/**
 * ASL benchmark (`npm run bench asl`): the full plugin pipeline (parameters, ordering, motion correction of 21
 * volumes, M0, mask, tissue, outliers, white-paper quantification, QC, self-check, result) on the ASLDRO set in Node
 * with the real WASM kernels. Prints one JSON object {ms, target: 5000, ...}; ms is the median of 3 runs after one
 * warm-up. Exits 0 with {skipped} when ../shared/data is absent.
 */
import { runAsl } from '../../plugins/asl-perfusion';
import { hasDro, loadDro } from '../phantoms/asl-dro-input';
import { createTestContext } from '../support/node-context';

async function main(): Promise<void> {
  if (!hasDro()) {
    console.log(JSON.stringify({ bench: 'asl', skipped: 'asl-dro-asldro-A not found in ../shared/data' }));
    return;
  }
  const t0 = performance.now();
  const { input } = loadDro();
  const loadMs = Math.round(performance.now() - t0);
  const ctx = await createTestContext();
  await runAsl(input, ctx);
  const times: number[] = [];
  let gm = NaN;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const run = await runAsl(input, ctx);
    times.push(performance.now() - t);
    gm = run.result.measurements.find((m) => m.key === 'cbf_gm_median')!.value;
  }
  times.sort((a, b) => a - b);
  const ms = Math.round(times[1]!);
  console.log(
    JSON.stringify({
      bench: 'asl',
      ms,
      target: 5000,
      pass: ms < 5000,
      loadMs,
      runsMs: times.map(Math.round),
      cbfGmMedian: gm,
    }),
  );
}

void main();
