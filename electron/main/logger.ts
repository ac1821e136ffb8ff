/**
 * The main process log: one line per event, appended to `<logsDir>/main.log` and echoed to stderr.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** A function that records one log line. */
export type Log = (message: string) => void;

/** Creates a logger writing to `<logsDir>/main.log`; file errors fall back to stderr only, never throw. */
export function createFileLogger(logsDir: string, now: () => Date = () => new Date()): Log {
  const file = path.join(logsDir, 'main.log');
  let fileOk = true;
  try {
    mkdirSync(logsDir, { recursive: true });
  } catch {
    fileOk = false;
  }
  return (message) => {
    const line = `${now().toISOString()} ${message.replace(/\r?\n/g, '\n    ')}\n`;
    process.stderr.write(line);
    if (!fileOk) return;
    try {
      appendFileSync(file, line);
    } catch {
      fileOk = false;
    }
  };
}
