/**
 * A small hand-written DICOM Part 10 writer for test phantoms: explicit/implicit little endian, explicit big endian,
 * and encapsulated (compressed) pixel data. It writes exactly what it is given (no dictionary): every element carries
 * its VR. Sequences are written with defined lengths.
 *
 * @packageDocumentation
 */
import { deflateSync } from 'fflate';

/** One data element to write. `tag` is (group << 16) | element. */
export interface WriteElement {
  tag: number;
  vr: string;
  /**
   * strings (multi-valued joined with `\`), numbers for binary numeric VRs (US, SS, UL, SL, FL, FD, AT),
   * bytes for OB/OW/UN (OW bytes are given little endian and swapped for big endian), item lists for SQ,
   * or `{ fragments }` for encapsulated pixel data (an empty basic offset table is written first).
   */
  value: string | number | number[] | Uint8Array | WriteElement[][] | { fragments: Uint8Array[] };
}

/** Transfer syntaxes the writer can lay out. */
export const TS = {
  implicitLE: '1.2.840.10008.1.2',
  explicitLE: '1.2.840.10008.1.2.1',
  explicitBE: '1.2.840.10008.1.2.2',
  rle: '1.2.840.10008.1.2.5',
  jpegLS: '1.2.840.10008.1.2.4.80',
  jpegLSNearLossless: '1.2.840.10008.1.2.4.81',
  htj2kLossless: '1.2.840.10008.1.2.4.201',
  htj2k: '1.2.840.10008.1.2.4.203',
  jpeg2000Lossless: '1.2.840.10008.1.2.4.90',
  deflatedLE: '1.2.840.10008.1.2.1.99',
} as const;

const LONG_VRS = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'OV', 'SQ', 'UT', 'UN', 'UC', 'UR']);

class Out {
  chunks: Uint8Array[] = [];
  size = 0;
  constructor(readonly le: boolean) {}
  bytes(b: Uint8Array): void {
    this.chunks.push(b);
    this.size += b.length;
  }
  u16(v: number): void {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, this.le);
    this.bytes(b);
  }
  u32(v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, this.le);
    this.bytes(b);
  }
  concat(): Uint8Array {
    const r = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      r.set(c, o);
      o += c.length;
    }
    return r;
  }
}

function encodeValue(el: WriteElement, le: boolean, explicit: boolean): Uint8Array {
  const { vr, value } = el;
  if (vr === 'SQ') {
    const o = new Out(le);
    for (const item of value as WriteElement[][]) {
      const body = encodeDataset(item, le, explicit);
      o.u16(0xfffe);
      o.u16(0xe000);
      o.u32(body.length);
      o.bytes(body);
    }
    return o.concat();
  }
  if (value instanceof Uint8Array) {
    let b = value;
    if (!le && vr === 'OW') {
      b = new Uint8Array(value.length);
      for (let i = 0; i + 1 < value.length; i += 2) {
        b[i] = value[i + 1];
        b[i + 1] = value[i];
      }
    }
    if (b.length % 2) {
      const p = new Uint8Array(b.length + 1);
      p.set(b);
      b = p;
    }
    return b;
  }
  if (typeof value === 'number' || Array.isArray(value)) {
    const nums = (typeof value === 'number' ? [value] : value) as number[];
    const size = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, AT: 4 }[vr];
    if (!size) {
      // numeric value for a string VR (IS, DS): write as text
      return encodeValue({ tag: el.tag, vr, value: nums.join('\\') }, le, explicit);
    }
    const b = new Uint8Array(nums.length * size);
    const dv = new DataView(b.buffer);
    nums.forEach((n, i) => {
      const o = i * size;
      if (vr === 'US') dv.setUint16(o, n, le);
      else if (vr === 'SS') dv.setInt16(o, n, le);
      else if (vr === 'UL') dv.setUint32(o, n, le);
      else if (vr === 'SL') dv.setInt32(o, n, le);
      else if (vr === 'FL') dv.setFloat32(o, n, le);
      else if (vr === 'FD') dv.setFloat64(o, n, le);
      else {
        dv.setUint16(o, n >>> 16, le);
        dv.setUint16(o + 2, n & 0xffff, le);
      }
    });
    return b;
  }
  const s = value as string;
  const enc = new TextEncoder().encode(s);
  if (enc.length % 2 === 0) return enc;
  const p = new Uint8Array(enc.length + 1);
  p.set(enc);
  p[enc.length] = vr === 'UI' ? 0 : 0x20;
  return p;
}

function encodeDataset(elements: WriteElement[], le: boolean, explicit: boolean): Uint8Array {
  const o = new Out(le);
  const sorted = [...elements].sort((a, b) => a.tag - b.tag);
  for (const el of sorted) {
    const group = el.tag >>> 16;
    const elem = el.tag & 0xffff;
    if (typeof el.value === 'object' && !(el.value instanceof Uint8Array) && 'fragments' in el.value) {
      o.u16(group);
      o.u16(elem);
      if (explicit) {
        o.bytes(new TextEncoder().encode(el.vr));
        o.u16(0);
      }
      o.u32(0xffffffff);
      o.u16(0xfffe);
      o.u16(0xe000);
      o.u32(0); // empty basic offset table
      for (const f of el.value.fragments) {
        const padded = f.length % 2 ? Uint8Array.from([...f, 0]) : f;
        o.u16(0xfffe);
        o.u16(0xe000);
        o.u32(padded.length);
        o.bytes(padded);
      }
      o.u16(0xfffe);
      o.u16(0xe0dd);
      o.u32(0);
      continue;
    }
    const v = encodeValue(el, le, explicit);
    o.u16(group);
    o.u16(elem);
    if (explicit) {
      o.bytes(new TextEncoder().encode(el.vr));
      if (LONG_VRS.has(el.vr)) {
        o.u16(0);
        o.u32(v.length);
      } else {
        o.u16(v.length);
      }
    } else {
      o.u32(v.length);
    }
    o.bytes(v);
  }
  return o.concat();
}

/** Options of {@link writePart10}. */
export interface WritePart10Options {
  transferSyntaxUid: string;
  /** Write the 128-byte preamble, "DICM" and the file meta group (default true). Without: a raw data set. */
  part10?: boolean;
}

/**
 * Encodes a data set as a DICOM Part 10 file. MediaStorageSOPClassUID/InstanceUID are taken from (0008,0016) and
 * (0008,0018) when present.
 */
export function writePart10(elements: WriteElement[], opts: WritePart10Options): Uint8Array {
  const ts = opts.transferSyntaxUid;
  const le = ts !== TS.explicitBE;
  const explicit = ts !== TS.implicitLE;
  const plain = encodeDataset(elements, le, explicit);
  // Deflated Explicit VR Little Endian: the data set after the meta group is raw DEFLATE (PS3.5 A.5)
  const body = ts === TS.deflatedLE ? deflateSync(plain) : plain;
  if (opts.part10 === false) return body;
  const str = (tag: number) => {
    const e = elements.find((x) => x.tag === tag);
    return typeof e?.value === 'string' ? e.value : '1.2.3';
  };
  const meta: WriteElement[] = [
    { tag: 0x00020001, vr: 'OB', value: Uint8Array.from([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: str(0x00080016) },
    { tag: 0x00020003, vr: 'UI', value: str(0x00080018) },
    { tag: 0x00020010, vr: 'UI', value: ts },
    { tag: 0x00020012, vr: 'UI', value: '1.2.826.0.1.3680043.10.1' },
  ];
  const metaBody = encodeDataset(meta, true, true);
  const groupLen = encodeDataset([{ tag: 0x00020000, vr: 'UL', value: metaBody.length }], true, true);
  const out = new Uint8Array(132 + groupLen.length + metaBody.length + body.length);
  out.set(new TextEncoder().encode('DICM'), 128);
  out.set(groupLen, 132);
  out.set(metaBody, 132 + groupLen.length);
  out.set(body, 132 + groupLen.length + metaBody.length);
  return out;
}
