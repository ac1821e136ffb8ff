/** Where CLI commands write; tests capture it, `main.ts` binds it to the process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Whether stderr is an interactive terminal (progress bars vs plain lines). */
  isTty: boolean;
  env: Record<string, string | undefined>;
}

/** The process-backed IO. */
export function processIo(): CliIo {
  return {
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
    isTty: Boolean(process.stderr.isTTY),
    env: process.env,
  };
}

/** An error that ends the command with a message and exit code 1 (no stack trace for users). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
