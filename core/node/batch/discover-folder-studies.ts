import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BatchStudy } from './batch-types';

/**
 * Lists the studies of a folder tree without reading any file: each folder that directly holds files is one study
 * unit (the usual layout of research exports: one folder per study, possibly nested by patient). Its key is the
 * folder's path relative to the root, which is stable across runs (resume) and survives unreadable files: a study
 * whose files are all corrupt still appears, and fails with a reason when processed.
 *
 * Folders holding only hidden files are ignored; a root with files directly in it is one study.
 */
export function discoverFolderStudies(root: string): BatchStudy[] {
  const studies: BatchStudy[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      throw new Error(`cannot read ${dir}: ${(e as Error).message}`);
    }
    const files = entries.filter((e) => e.isFile() && !e.name.startsWith('.'));
    if (files.length > 0) {
      const rel = path.relative(root, dir).split(path.sep).join('/') || '.';
      studies.push({
        key: rel,
        identifiers: { folder: rel },
        source: { kind: 'files', paths: [dir] },
      });
      return; // a study folder's subfolders (e.g. DICOMDIR trees) belong to it
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory() && !e.name.startsWith('.')) walk(path.join(dir, e.name));
    }
  };
  if (!statSync(root).isDirectory()) throw new Error(`${root} is not a folder`);
  walk(root);
  return studies;
}
