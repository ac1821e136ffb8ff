#!/usr/bin/env node
/** Entry point of the `qiview` command (`npm run qiview -- <args>`). */
import { processIo } from './io';
import { runCli } from './program';

process.exitCode = await runCli(process.argv.slice(2), processIo());
