import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { BatchProgress } from '../core/node/batch/run-batch';
import type { CliIo } from './io';
import { createProgressReporter, formatDuration } from './progress-reporter';

const io = (isTty: boolean): CliIo & { errs: string[] } => {
  const errs: string[] = [];
  return { errs, out: () => {}, err: (l) => errs.push(l), isTty, env: {} };
};
const p = (done: number, failed: number, rate: number, eta?: number): BatchProgress => ({
  total: 4,
  done,
  failed,
  skipped: 0,
  running: [],
  ratePerMinute: rate,
  etaSeconds: eta,
});

/** A terminal-like stream (what cli-progress checks: isTTY and columns) that keeps what was written. */
function terminal(): Writable & { isTTY: boolean; columns: number; text(): string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return Object.assign(w, { isTTY: true, columns: 120, text: () => chunks.join('') });
}

describe('formatDuration', () => {
  it('formats m:ss and h:mm:ss; unknown is ?', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65.4)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(undefined)).toBe('?');
    expect(formatDuration(Infinity)).toBe('?');
  });
});

describe('createProgressReporter', () => {
  it('not a terminal: one plain line per finished study with rate and ETA, no control characters', () => {
    const o = io(false);
    const r = createProgressReporter(o, terminal());
    r.update(p(0, 0, 0));
    r.update(p(1, 0, 30, 6));
    r.update(p(1, 0, 30, 6)); // nothing new finished: no line
    r.update(p(2, 1, 45, 1.3));
    r.stop();
    expect(o.errs).toEqual([
      'progress 0/4 done=0 failed=0 skipped=0 rate=0.0/min eta=?',
      'progress 1/4 done=1 failed=0 skipped=0 rate=30.0/min eta=0:06',
      'progress 3/4 done=2 failed=1 skipped=0 rate=45.0/min eta=0:01',
    ]);
    for (const l of o.errs) expect([...l].some((c) => c.charCodeAt(0) < 32 || c === '\u007f')).toBe(false);
  });

  it('on a terminal: a bar redrawn in place with count, failures, rate and ETA (no plain lines)', async () => {
    const o = io(true);
    const tty = terminal();
    const r = createProgressReporter(o, tty);
    r.update(p(0, 0, 0));
    await new Promise((res) => setTimeout(res, 150)); // past the bar's redraw throttle
    r.update(p(2, 1, 12.5, 4));
    r.stop();
    const text = tty.text();
    expect(o.errs).toEqual([]);
    expect(text).toContain('0/4 studies | 0 failed | 0.0/min | ETA ?');
    expect(text).toContain('3/4 studies | 1 failed | 12.5/min | ETA 0:04');
    expect(text).toContain('\u001b['); // cursor control: redrawn in place, not appended
    expect(text).toContain('\u001b[?25l'); // cursor hidden while drawing…
    expect(text).toContain('\u001b[?25h'); // …and shown again on stop
  });
});
