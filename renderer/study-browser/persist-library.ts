/**
 * Web-mode persistence of the browser's records in IndexedDB (the browser's embedded database: no server, survives
 * reloads). Only records are stored, never pixel data; a page cannot re-open the user's files by path, so after a
 * reload the list is back but the files must be picked again.
 */
import type { LibraryContents } from './study-browser-store';

const DB = 'qiview-study-browser';
const STORE = 'library';
const KEY = 'contents';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
  });
}

/** Saves the records (resolves false when IndexedDB is unavailable). */
export async function saveLibrary(lib: LibraryContents): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return false;
  const db = await open();
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(lib, KEY);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    });
    return true;
  } finally {
    db.close();
  }
}

/** Loads the saved records, or undefined. */
export async function loadLibrary(): Promise<LibraryContents | undefined> {
  if (typeof indexedDB === 'undefined') return undefined;
  const db = await open();
  try {
    return await new Promise<LibraryContents | undefined>((resolve, reject) => {
      const req = db.transaction(STORE, 'readonly').objectStore(STORE).get(KEY);
      req.onsuccess = () => resolve(req.result as LibraryContents | undefined);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB read failed'));
    });
  } finally {
    db.close();
  }
}
