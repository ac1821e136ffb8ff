/**
 * Typed access to the parts of dcmjs (0.52, pinned) the results writers use. dcmjs ships no type declarations, so
 * this module is the single place that touches it untyped.
 */
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore -- dcmjs has no type declarations; the shapes used are typed below
import * as dcmjsModule from 'dcmjs';

/** A naturalized dataset: attributes by keyword; sequences are arrays of datasets. */
export type NaturalDataset = Record<string, any>;

interface DicomDictInstance {
  dict: Record<string, unknown>;
  meta: Record<string, unknown>;
  write(options?: Record<string, unknown>): ArrayBuffer;
}

/** The dcmjs API surface used here. */
export interface DcmjsApi {
  data: {
    DicomDict: new (meta: Record<string, unknown>) => DicomDictInstance;
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DicomDictInstance;
    };
    DicomMetaDictionary: {
      naturalizeDataset(dict: Record<string, unknown>): NaturalDataset;
      denaturalizeDataset(ds: NaturalDataset): Record<string, unknown>;
      uid(): string;
      date(): string;
      time(): string;
      dictionary: Record<string, { name: string; vr: string; tag: string }>;
      nameMap: Record<string, { name: string; vr: string; tag: string }>;
      punctuateTag(raw: string): string;
      unpunctuateTag(tag: string): string;
    };
  };
}

const mod = dcmjsModule as unknown as { default?: DcmjsApi } & DcmjsApi;
/** dcmjs, typed (works with both the ESM named and default export shapes). */
export const dcmjs: DcmjsApi = mod.data ? mod : (mod.default as DcmjsApi);

/** Explicit VR Little Endian. */
export const EXPLICIT_LE = '1.2.840.10008.1.2.1';

/** Pixel data appended after the dcmjs-written dataset (dcmjs writes large binary values slowly). */
export interface TrailingPixelData {
  /** PixelData (7FE0,0010) or FloatPixelData (7FE0,0008). */
  keyword: 'PixelData' | 'FloatPixelData';
  vr: 'OB' | 'OW' | 'OF';
  bytes: Uint8Array;
}

const PIXEL_TAGS = { PixelData: [0x7fe0, 0x0010], FloatPixelData: [0x7fe0, 0x0008] } as const;

/**
 * Serialises a naturalized dataset (with its SOP class/instance UIDs set) as a DICOM Part 10 file (Explicit VR
 * Little Endian). `pixels`, when given, is written as the last element by hand: it must be the dataset's only
 * pixel data attribute (nothing sorts after group 7FE0 in the objects Qiview writes).
 */
export function writeDataset(ds: NaturalDataset, pixels?: TrailingPixelData): Uint8Array {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: ds.SOPClassUID,
    MediaStorageSOPInstanceUID: ds.SOPInstanceUID,
    TransferSyntaxUID: EXPLICIT_LE,
    ImplementationClassUID: QIVIEW_IMPLEMENTATION_UID,
    ImplementationVersionName: 'QIVIEW_0_1',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = denaturalizeWithPrivate(ds);
  const head = new Uint8Array(dict.write({ fragmentMultiframe: false }));
  if (!pixels) return head;
  const pad = pixels.bytes.length % 2;
  const out = new Uint8Array(head.length + 12 + pixels.bytes.length + pad);
  out.set(head, 0);
  const v = new DataView(out.buffer, head.length, 12);
  const [group, element] = PIXEL_TAGS[pixels.keyword];
  v.setUint16(0, group, true);
  v.setUint16(2, element, true);
  v.setUint8(4, pixels.vr.charCodeAt(0));
  v.setUint8(5, pixels.vr.charCodeAt(1));
  v.setUint32(8, pixels.bytes.length + pad, true);
  out.set(pixels.bytes, head.length + 12);
  return out;
}

/**
 * dcmjs's denaturalize drops attributes it has no keyword for; this keeps top-level ones given by tag
 * (`'00091001'`, as dcmjs's naturalize names private attributes), with the VR from `_vrMap` (default UN).
 */
function denaturalizeWithPrivate(ds: NaturalDataset): Record<string, unknown> {
  const named: NaturalDataset = {};
  const tagged: Array<[string, unknown]> = [];
  for (const [k, v] of Object.entries(ds)) {
    if (/^[0-9A-Fa-f]{8}$/.test(k)) tagged.push([k.toUpperCase(), v]);
    else named[k] = v;
  }
  const dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(named);
  const vrMap = (ds._vrMap ?? {}) as Record<string, string>;
  for (const [tag, v] of tagged) {
    dict[tag] = { vr: vrMap[tag] ?? vrMap[tag.toLowerCase()] ?? 'UN', Value: Array.isArray(v) ? v : [v] };
  }
  return dict;
}

/** Parses a DICOM Part 10 file into a naturalized dataset. Throws a clear error for bytes that are not DICOM. */
export function readDataset(bytes: Uint8Array | ArrayBuffer): NaturalDataset {
  const buffer =
    bytes instanceof Uint8Array
      ? (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
      : bytes;
  let dict: DicomDictInstance;
  try {
    dict = dcmjs.data.DicomMessage.readFile(buffer);
  } catch (e) {
    throw new Error(`not a readable DICOM file: ${(e as Error).message}`);
  }
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict);
  const charset = Array.isArray(ds.SpecificCharacterSet)
    ? ds.SpecificCharacterSet[0]
    : ds.SpecificCharacterSet;
  if (charset === 'ISO_IR 192') for (const k of Object.keys(ds)) ds[k] = redecodeNested(ds[k], 0);
  ds._meta = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.meta);
  return ds;
}

/** Qiview's implementation class UID (a UUID-derived 2.25 root, fixed). */
export const QIVIEW_IMPLEMENTATION_UID = '2.25.185215286372924418296370342713545937151';

let latin1Inverse: Map<string, number> | undefined;
/**
 * dcmjs 0.52 decodes strings inside sequence items as latin1 even when SpecificCharacterSet is UTF-8 (the item
 * reader does not inherit the decoder). This re-decodes such strings: latin1 characters back to bytes, then UTF-8
 * (kept as they are when the bytes are not valid UTF-8).
 */
function redecodeNested(v: unknown, depth: number): unknown {
  if (typeof v === 'string') {
    if (depth === 0 || !/[\u0080-\uffff]/.test(v)) return v;
    if (!latin1Inverse) {
      latin1Inverse = new Map();
      const dec = new TextDecoder('latin1');
      for (let b = 0; b < 256; b++) latin1Inverse.set(dec.decode(new Uint8Array([b])), b);
    }
    const bytes = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const b = latin1Inverse.get(v[i]);
      if (b === undefined) return v;
      bytes[i] = b;
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return v;
    }
  }
  if (Array.isArray(v)) return v.map((x) => redecodeNested(x, depth));
  if (v && typeof v === 'object' && !(v instanceof ArrayBuffer) && !ArrayBuffer.isView(v)) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (k !== '_vrMap') o[k] = redecodeNested(o[k], depth + 1);
    return o;
  }
  return v;
}
