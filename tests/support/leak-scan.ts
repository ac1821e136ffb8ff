import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One place where a needle was found: a file or folder name, or a file's content. */
export interface Leak {
  /** Path relative to the scanned root. */
  path: string;
  needle: string;
  where: 'name' | 'content';
}

/**
 * Every occurrence of any needle under `root`: in the names of files and folders (relative paths) and in file
 * contents (bytes read as latin1, so binary DICOM is searched too; `.gz` files are searched decompressed).
 * Top-level entries named in `except` are not scanned.
 */
export function findLeaks(root: string, needles: string[], except: string[] = []): Leak[] {
  const leaks: Leak[] = [];
  const check = (rel: string, text: string, where: Leak['where']) => {
    for (const n of needles) if (n && text.includes(n)) leaks.push({ path: rel, needle: n, where });
  };
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full);
      if (dir === root && except.includes(e.name)) continue;
      check(rel, rel, 'name');
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) {
        let bytes = readFileSync(full);
        if (e.name.endsWith('.gz')) bytes = gunzipSync(bytes);
        check(rel, bytes.toString('latin1'), 'content');
      }
    }
  };
  walk(root);
  return leaks;
}

/** Every file under `root` (relative paths, sorted), for comparing two states of an output folder. */
export function listTree(root: string, except: string[] = []): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (dir === root && except.includes(e.name)) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(root, full));
    }
  };
  walk(root);
  return out.sort();
}
