/**
 * Prints, as JSON, how closely the pCASL plugin's control − label mean agrees with a Philips scanner's own perfusion
 * series: `npx tsx tools/philips-asl-agreement.ts <raw SOURCE folder> <perfusion folder> [pld=2 labelDuration=1.8 …]`.
 * See tests/support/philips-perfusion-agreement.ts for what each figure means.
 */
import { philipsPerfusionAgreement } from '../tests/support/philips-perfusion-agreement';

const [raw, perf, ...rest] = process.argv.slice(2);
if (!raw || !perf) {
  console.error(
    'usage: tsx tools/philips-asl-agreement.ts <raw SOURCE folder> <perfusion folder> [key=value …]',
  );
  process.exit(2);
}
const parameters: Record<string, unknown> = { pld: 2, labelDuration: 1.8 };
for (const kv of rest) {
  const [k, v] = kv.split('=');
  if (!k || v === undefined) throw new Error(`not key=value: ${kv}`);
  parameters[k] = Number.isFinite(Number(v)) ? Number(v) : v;
}
const { agreement, run } = await philipsPerfusionAgreement(raw, perf, parameters);
console.log(
  JSON.stringify({ ...agreement, ordering: run.ordering.source, m0Frames: run.ordering.m0Frames.length }),
);
