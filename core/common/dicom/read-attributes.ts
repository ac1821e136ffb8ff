/**
 * DICOM attributes of one instance as a JSON-able record: standard attributes by keyword (Modality, RepetitionTime,
 * ConvolutionKernel…), everything else by tag as 'xggggeeee'. Private elements are kept (binary ones base64) so vendor
 * plugins can decode Siemens CSA / Philips / GE private tags themselves.
 *
 * @packageDocumentation
 */
import type { Element } from 'dicom-parser';
import { KEYWORDS } from './dicom-keywords';
import { guardRead } from './dicom-read-error';
import { openDataSet, type DataSet } from './open-dataset';

const STRING_VRS = new Set([
  'AE',
  'AS',
  'CS',
  'DA',
  'DS',
  'DT',
  'IS',
  'LO',
  'LT',
  'PN',
  'SH',
  'ST',
  'TM',
  'UC',
  'UI',
  'UR',
  'UT',
]);
const NUMERIC_SIZE: Record<string, number> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8 };
/** Sequences with more items than this are summarised (e.g. per-frame groups of a 3000-frame object). */
const MAX_ITEMS = 4096;

/** A JSON value read from DICOM. */
export type DicomJson = string | number | null | DicomJson[] | { [key: string]: DicomJson };

/** Base64 of bytes without Node's Buffer (btoa exists in browsers and Node ≥ 16). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  const CH = 0x8000;
  for (let i = 0; i < bytes.length; i += CH) {
    s += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + CH)));
  }
  return btoa(s);
}

function vrOf(tag: string, el: Element): string | undefined {
  if (el.vr) return el.vr;
  const known = KEYWORDS.get(tag);
  if (known) return known.vr;
  if (el.items) return 'SQ';
  const group = parseInt(tag.slice(1, 5), 16);
  const elem = parseInt(tag.slice(5), 16);
  if (group % 2 === 1 && elem >= 0x10 && elem <= 0xff) return 'LO'; // private creator
  return undefined;
}

/** Converts one element to JSON (strings, numbers, arrays, nested records, or base64 for binary). */
export function elementToJson(ds: DataSet, tag: string, el: Element, depth = 0): DicomJson {
  const vr = vrOf(tag, el);
  if (el.items || vr === 'SQ') {
    const items = el.items ?? [];
    if (items.length > MAX_ITEMS || depth > 6) return `[${items.length} items]`;
    return items.map((it) => (it.dataSet ? dataSetToJson(it.dataSet, depth + 1) : {}));
  }
  if (el.length < 0 || el.length === 0xffffffff) return null;
  if (vr && STRING_VRS.has(vr)) {
    const raw = ds.string(tag) ?? '';
    const parts = raw.split('\\').map((p) => p.replace(/\0/g, '').trim());
    const conv = (p: string): string | number => {
      if (vr === 'DS' || vr === 'IS') {
        const n = Number(p);
        return p !== '' && Number.isFinite(n) ? n : p;
      }
      return p;
    };
    if (vr === 'LT' || vr === 'ST' || vr === 'UT') return raw.replace(/\0/g, '').trim();
    return parts.length === 1 ? conv(parts[0]) : parts.map(conv);
  }
  if (vr && NUMERIC_SIZE[vr]) {
    const n = Math.floor(el.length / NUMERIC_SIZE[vr]);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const v =
        vr === 'US'
          ? ds.uint16(tag, i)
          : vr === 'SS'
            ? ds.int16(tag, i)
            : vr === 'UL'
              ? ds.uint32(tag, i)
              : vr === 'SL'
                ? ds.int32(tag, i)
                : vr === 'FL'
                  ? ds.float(tag, i)
                  : ds.double(tag, i);
      out.push(v ?? NaN);
    }
    return n === 1 ? out[0] : out;
  }
  if (el.dataOffset + el.length > ds.byteArray.length) return null;
  return toBase64(ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length));
}

/** Converts a (sub) data set to a keyword/tag-keyed record, skipping pixel data and group lengths. */
export function dataSetToJson(ds: DataSet, depth = 0): Record<string, DicomJson> {
  const out: Record<string, DicomJson> = {};
  for (const tag of Object.keys(ds.elements).sort()) {
    if (tag === 'x7fe00010' || tag.endsWith('0000') || tag.startsWith('xfffe')) continue;
    const el = ds.elements[tag];
    const key = KEYWORDS.get(tag)?.keyword ?? tag;
    out[key] = elementToJson(ds, tag, el, depth);
  }
  return out;
}

/**
 * Reads the attributes of one DICOM instance (not the pixel data) as JSON. Standard attributes Qiview knows are keyed
 * by keyword (e.g. `Modality`, `ImageType`, `RepetitionTime`, `EchoTime`, `FlipAngle`, `ConvolutionKernel`, `KVP`,
 * `SliceThickness`, `ContrastBolusAgent`); all others by tag, 'xggggeeee' lower case (e.g. Siemens CSA 'x00291010'),
 * binary values as base64. DS/IS become numbers, multi-valued attributes arrays, sequences arrays of records.
 *
 * @throws DicomReadError when the bytes are not readable DICOM.
 */
export function readAttributes(bytes: Uint8Array): Record<string, DicomJson> {
  const ds = openDataSet(bytes, { untilTag: 'x7fe00010' });
  return guardRead('unreadable DICOM attributes', () => dataSetToJson(ds));
}
