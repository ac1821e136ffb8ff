#!/usr/bin/env node
// The one test command (README, .ci/run): lint, typecheck, Node tests (vitest), browser e2e tests (Playwright in
// Debian Chromium). Prints a closing line "Tests: N passed, N failed" summed over all runners, and exits non-zero
// when anything failed. Pass `--quick` to skip the e2e stage while developing.
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, existsSync } from 'node:fs';

const quick = process.argv.includes('--quick');
mkdirSync('test-results', { recursive: true });
let passed = 0;
let failed = 0;
let skipped = 0;
const stages = [];

function run(name, cmd, args, env = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  stages.push({ name, ok, seconds: Math.round((Date.now() - t0) / 100) / 10 });
  return ok;
}

// Static checks count as one test each: a lint or type error fails the run.
for (const [name, args] of [
  ['lint', ['eslint', '.', '--max-warnings', '0']],
  ['typecheck', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
]) {
  if (run(name, 'npx', args)) passed++;
  else failed++;
}

run('unit+integration (vitest)', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=test-results/vitest.json',
]);
if (existsSync('test-results/vitest.json')) {
  const j = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  passed += j.numPassedTests;
  failed += j.numFailedTests + (j.numFailedTestSuites ?? 0);
  skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
} else failed++;

if (!quick && existsSync('playwright.config.ts')) {
  run('build (plugins + vite)', 'npm', ['run', 'build']);
  run('e2e (playwright, Debian chromium)', 'npx', ['playwright', 'test'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-results/playwright.json',
  });
  if (existsSync('test-results/playwright.json')) {
    const s = JSON.parse(readFileSync('test-results/playwright.json', 'utf8')).stats ?? {};
    passed += (s.expected ?? 0) + (s.flaky ?? 0);
    failed += s.unexpected ?? 0;
    skipped += s.skipped ?? 0;
  } else failed++;
}

console.log('\n=== stages');
for (const s of stages) console.log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.name} (${s.seconds} s)`);
console.log(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && stages.every((s) => s.ok) ? 0 : 1);
