import { Command, CommanderError } from 'commander';
import { batchCommand } from './commands/batch-command';
import { pluginCommand } from './commands/plugin-command';
import { workerCommand } from './commands/worker-command';
import { CliError, type CliIo } from './io';

/** Builds the `qiview` command tree. */
export function createProgram(io: CliIo): Command {
  const program = new Command('qiview')
    .description('Qiview headless tools: batch quantification and plugin packages')
    .option('--data-dir <dir>', 'user data folder (default: the desktop app folder, or QIVIEW_USER_DATA)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  const globals = () => program.opts<{ dataDir?: string }>();
  program.addCommand(pluginCommand(io, globals));
  program.addCommand(batchCommand(io, globals));
  program.addCommand(workerCommand(io, globals));
  const override = (c: Command) => {
    c.exitOverride().configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
    });
    c.commands.forEach(override);
  };
  program.commands.forEach(override);
  return program;
}

/** Runs the CLI with arguments (without `node script`), returning the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`qiview: ${e.message}`);
      return e.exitCode;
    }
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    io.err(`qiview: ${(e as Error).message}`);
    return 1;
  }
}
