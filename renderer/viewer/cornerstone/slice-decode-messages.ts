/** Messages between slice-decode-pool.ts and slice-decode-worker.ts. */
import type { CodecName } from '../../../core/common/dicom/codecs';

/** Load these codecs now (while the page is idle), before the first compressed slice. */
export interface WarmSliceWorker {
  warm: CodecName[];
}

export interface DecodeSlice {
  id: number;
  file: Blob;
  slope: number;
  intercept: number;
  /** The volume's pixel array type, when the slice is loaded for a volume. */
  wantType?: string;
}

export type ToSliceWorker = DecodeSlice | WarmSliceWorker;

export type FromSliceWorker =
  | {
      id: number;
      buffer: ArrayBuffer;
      byteOffset: number;
      length: number;
      signed: boolean;
      min: number;
      max: number;
    }
  | { id: number; fallback: true }
  | { id: number; error: string };
