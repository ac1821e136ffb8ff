/**
 * Drag-and-drop of files and folders: walks `DataTransferItem.webkitGetAsEntry()` entries recursively (Chromium,
 * Firefox, Safari all support it) and falls back to `DataTransfer.files` where entries are unavailable.
 */
import type { PickedFile } from './platform';

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** All entries of a directory (readEntries returns them in chunks of up to 100 until it returns []). */
async function readAll(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const out: FileSystemEntry[] = [];
  for (;;) {
    const chunk = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (chunk.length === 0) return out;
    out.push(...chunk);
  }
}

async function walk(entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> {
  const name = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    try {
      out.push({ name, file: await entryFile(entry as FileSystemFileEntry) });
    } catch {
      /* unreadable entry (permissions, vanished): nothing to import */
    }
  } else if (entry.isDirectory) {
    for (const child of await readAll(entry as FileSystemDirectoryEntry)) await walk(child, name, out);
  }
}

/** Files of a drop, folders expanded; names are paths relative to the dropped items. */
export async function filesFromDataTransfer(dt: DataTransfer): Promise<PickedFile[]> {
  const entries: FileSystemEntry[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== 'file') continue;
    const e = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (e) entries.push(e);
  }
  if (entries.length === 0) return Array.from(dt.files).map((file) => ({ name: file.name, file }));
  const out: PickedFile[] = [];
  for (const e of entries) await walk(e, '', out);
  return out;
}
