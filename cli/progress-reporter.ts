import cliProgress from 'cli-progress';
import type { BatchProgress } from '../core/node/batch/run-batch';
import type { CliIo } from './io';

/** Formats seconds as h:mm:ss or m:ss. */
export function formatDuration(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '?';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = String(t % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/**
 * Shows batch progress: a bar with rate and ETA on a terminal; otherwise one plain line per finished study (and no
 * control characters), which is what log files and CI want.
 */
export function createProgressReporter(
  io: CliIo,
  /** Where the bar is drawn on a terminal (default: stderr). */
  stream: NodeJS.WritableStream = process.stderr,
): { update(p: BatchProgress): void; stop(): void } {
  if (io.isTty) {
    const bar = new cliProgress.SingleBar(
      {
        format: ' {bar} {value}/{total} studies | {failed} failed | {rate}/min | ETA {eta_h}',
        hideCursor: true,
        stream,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        const payload = {
          failed: p.failed,
          rate: p.ratePerMinute.toFixed(1),
          eta_h: formatDuration(p.etaSeconds),
        };
        const value = p.done + p.failed + p.skipped;
        if (!started) {
          bar.start(p.total, value, payload);
          started = true;
        } else bar.update(value, payload);
      },
      stop: () => bar.stop(),
    };
  }
  let last = -1;
  return {
    update(p) {
      const finished = p.done + p.failed + p.skipped;
      if (finished === last) return;
      last = finished;
      io.err(
        `progress ${finished}/${p.total} done=${p.done} failed=${p.failed} skipped=${p.skipped} ` +
          `rate=${p.ratePerMinute.toFixed(1)}/min eta=${formatDuration(p.etaSeconds)}`,
      );
    },
    stop() {},
  };
}
