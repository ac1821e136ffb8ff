/**
 * Web mode keeps the picked `File` objects of this session by id (`InstanceLocation` kind 'memory'). Browsers do not
 * let a page re-open a file by path, so after a reload the library still lists the study but its files must be
 * picked again (the study browser says so).
 */
const files = new Map<string, File>();
let next = 0;

/** Keeps `file` for this session; returns its id. */
export function keepFile(file: File): string {
  const id = `mem-${Date.now().toString(36)}-${(next++).toString(36)}`;
  files.set(id, file);
  return id;
}

/** The kept file, or undefined (e.g. after a reload). */
export function keptFile(id: string): File | undefined {
  return files.get(id);
}

/** Forgets kept files. */
export function forgetFiles(ids: Iterable<string>): void {
  for (const id of ids) files.delete(id);
}
