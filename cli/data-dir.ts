import { homedir } from 'node:os';
import path from 'node:path';
import { resolveUserDataPaths, type UserDataPaths } from '../core/node/user-data/resolve-user-data-paths';

/** The same per-user folders as the desktop app; `--data-dir` (or QIVIEW_USER_DATA) overrides the root. */
export function cliUserData(
  dataDir: string | undefined,
  env: Record<string, string | undefined>,
): UserDataPaths {
  return resolveUserDataPaths({
    platform: process.platform,
    env: dataDir ? { ...env, QIVIEW_USER_DATA: path.resolve(dataDir) } : env,
    homeDir: homedir(),
  });
}
