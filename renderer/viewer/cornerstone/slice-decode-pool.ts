/**
 * A few module workers (slice-decode-worker.ts) that decode compressed local slices and transfer their pixels back;
 * started on first use, one task per message, the least busy worker gets the next one.
 */
import type { FromSliceWorker, ToSliceWorker } from './slice-decode-messages';

/** Pixels of a decoded, rescaled slice, or undefined when the DICOM image loader must load it instead. */
export interface DecodedSlice {
  pixels: Int16Array | Uint16Array;
  min: number;
  max: number;
}

interface Slot {
  worker: Worker;
  busy: number;
  ids: Set<number>;
}

const pending = new Map<
  number,
  { resolve: (r: DecodedSlice | undefined) => void; reject: (e: Error) => void }
>();
let slots: Slot[] | null = null;
let nextId = 1;
/** Set when a worker could not start or crashed: later slices go back to the DICOM image loader. */
let broken = false;

function start(count: number): Slot[] {
  return Array.from({ length: count }, () => {
    const worker = new Worker(new URL('./slice-decode-worker.ts', import.meta.url), {
      type: 'module',
      name: 'qiview-slice-decode',
    });
    const slot: Slot = { worker, busy: 0, ids: new Set() };
    worker.onerror = (e) => {
      broken = true;
      for (const id of slot.ids)
        pending.get(id)?.reject(new Error(`slice decode worker failed: ${e.message}`));
      for (const id of slot.ids) pending.delete(id);
      slot.ids.clear();
    };
    worker.onmessage = (e: MessageEvent<FromSliceWorker>) => {
      const m = e.data;
      const p = pending.get(m.id);
      pending.delete(m.id);
      slot.ids.delete(m.id);
      slot.busy--;
      if (!p) return;
      if ('error' in m) p.reject(new Error(m.error));
      else if ('fallback' in m) p.resolve(undefined);
      else {
        const pixels = m.signed
          ? new Int16Array(m.buffer, m.byteOffset, m.length)
          : new Uint16Array(m.buffer, m.byteOffset, m.length);
        p.resolve({ pixels, min: m.min, max: m.max });
      }
    };
    return slot;
  });
}

/**
 * Starts the workers and has the first load the HTJ2K, JPEG 2000 and JPEG-LS codecs while the page is idle, so the first
 * compressed slice shown does not wait for a worker and a codec to start.
 */
export function warmSliceWorkers(workers: number): void {
  if (!sliceWorkersUsable()) return;
  slots ??= start(Math.max(1, workers));
  // One worker only: the first slice shown goes to it (least busy, first on ties); warming every worker competed for
  // the 2 cores with opening files shortly after start-up.
  const msg: ToSliceWorker = { warm: ['openjph', 'openjpeg', 'charls'] };
  slots[0].worker.postMessage(msg);
}

/** False once a worker failed (the caller then uses the DICOM image loader). */
export function sliceWorkersUsable(): boolean {
  return !broken && typeof Worker !== 'undefined';
}

/** Decodes `file` (a compressed single-frame DICOM file) in a worker. */
export function decodeSliceInWorker(
  file: Blob,
  slope: number,
  intercept: number,
  wantType: string | undefined,
  workers: number,
): Promise<DecodedSlice | undefined> {
  slots ??= start(Math.max(1, workers));
  const slot = slots.reduce((a, b) => (b.busy < a.busy ? b : a));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    slot.ids.add(id);
    slot.busy++;
    const msg: ToSliceWorker = { id, file, slope, intercept, wantType };
    slot.worker.postMessage(msg);
  });
}
