#!/usr/bin/env node
// Benchmark runner: `node tools/run-bench.mjs <name>` runs tests/bench/<name>.bench.ts with tsx; with no name it runs
// every tests/bench/*.bench.ts in turn (sorted). Each benchmark prints one JSON object on stdout. Benchmarks are not
// tests: they measure and report, and are run by hand (`npm run bench`, `npm run bench:<name>`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const dir = path.join('tests', 'bench');
const arg = process.argv[2];
const extra = process.argv.slice(3);
let names;
if (arg) {
  if (!/^[\w-]+$/.test(arg)) {
    console.error(`bad benchmark name "${arg}"`);
    process.exit(2);
  }
  if (!existsSync(path.join(dir, `${arg}.bench.ts`))) {
    const have = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.bench.ts')) : [];
    console.error(`no benchmark ${dir}/${arg}.bench.ts (have: ${have.join(', ') || 'none'})`);
    process.exit(2);
  }
  names = [arg];
} else {
  names = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.bench.ts'))
        .map((f) => f.slice(0, -'.bench.ts'.length))
        .sort()
    : [];
}
let failed = 0;
for (const name of names) {
  console.error(`=== bench ${name}`);
  const r = spawnSync('npx', ['tsx', path.join(dir, `${name}.bench.ts`), ...extra], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench ${name} failed (exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed ? 1 : 0);
