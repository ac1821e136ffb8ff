/**
 * Opens the bytes of a DICOM file with dicom-parser: Part 10 files (preamble + "DICM"), and raw data sets without a
 * file meta header when the first element looks like DICOM (implicit or explicit VR little endian). Errors become
 * {@link DicomReadError}s with a kind and a readable reason. Environment-neutral (deflate via fflate).
 *
 * @packageDocumentation
 */
import type * as DP from 'dicom-parser';
import { dicomParser } from './dicom-parser-module';
import { inflateSync } from 'fflate';
import { DicomReadError } from './dicom-read-error';

/** A parsed dicom-parser data set. */
export type DataSet = DP.DataSet;

const VR_RE = /^[A-Z]{2}$/;

function ascii(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n && o + i < b.length; i++) s += String.fromCharCode(b[o + i]);
  return s;
}

/** True when bytes 128..131 read "DICM". */
export function hasPart10Preamble(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && ascii(bytes, 128, 4) === 'DICM';
}

/**
 * Guesses the transfer syntax of a raw data set (no preamble) from its first element, or returns undefined when the
 * bytes do not look like DICOM. Plausible means: group 0002, 0008 or 0010 with a small element number, then either an
 * explicit VR (two capital letters) or an implicit 32-bit length that fits the file.
 */
export function sniffRawDataSet(bytes: Uint8Array, totalLength = bytes.length): string | undefined {
  if (bytes.length < 12) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const group = dv.getUint16(0, true);
  const elem = dv.getUint16(2, true);
  if (group !== 0x0002 && group !== 0x0008 && group !== 0x0010) return undefined;
  if (elem > 0x0200) return undefined;
  const vr = ascii(bytes, 4, 2);
  if (VR_RE.test(vr)) return '1.2.840.10008.1.2.1';
  const len = dv.getUint32(4, true);
  if (len !== 0xffffffff && len + 8 > totalLength) return undefined;
  // the next element must also be plausible (same or higher group)
  if (len !== 0xffffffff && 8 + len + 4 <= bytes.length) {
    const g2 = dv.getUint16(8 + len, true);
    if (g2 < group || g2 > 0x7fe0) return undefined;
  }
  return '1.2.840.10008.1.2';
}

function messageOf(e: unknown): string {
  if (typeof e === 'string') return e;
  // dicom-parser wraps failures as { exception, dataSet }
  if (e && typeof e === 'object' && 'exception' in e)
    return messageOf((e as { exception: unknown }).exception);
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Options of {@link openDataSet}. */
export interface OpenDataSetOptions {
  /** Stop parsing at this tag (dicom-parser 'xggggeeee'), e.g. 'x7fe00010' to skip pixel data. */
  untilTag?: string;
}

/**
 * Parses the bytes of one DICOM file.
 *
 * @throws DicomReadError `not-dicom` (no preamble and no plausible raw data set), `truncated` (the data run past
 *   the end of the file), `corrupt` (anything else the parser refused).
 */
export function openDataSet(bytes: Uint8Array, options: OpenDataSetOptions = {}): DataSet {
  if (bytes.length === 0) throw new DicomReadError('not-dicom', 'empty file');
  let fallbackTs: string | undefined;
  if (!hasPart10Preamble(bytes)) {
    fallbackTs = sniffRawDataSet(bytes);
    if (!fallbackTs && bytes.length > 13 && sniffRawDataSet(bytes.subarray(1))) {
      // tolerate one stray leading byte before a raw data set (seen in the wild, e.g. pydicom's no_meta.dcm)
      bytes = bytes.subarray(1);
      fallbackTs = sniffRawDataSet(bytes);
    }
    if (!fallbackTs) {
      throw new DicomReadError('not-dicom', 'not DICOM: no "DICM" preamble and no plausible DICOM header');
    }
  }
  let ds: DataSet;
  try {
    ds = dicomParser.parseDicom(bytes, {
      untilTag: options.untilTag,
      TransferSyntaxUID: fallbackTs,
      inflater: (arr: Uint8Array, position: number) => {
        const inflated = inflateSync(arr.subarray(position));
        const full = new Uint8Array(position + inflated.length);
        full.set(arr.subarray(0, position), 0);
        full.set(inflated, position);
        return full;
      },
    } as DP.ParseDicomOptions);
  } catch (e) {
    const msg = messageOf(e);
    if (/overrun|past end|beyond|end of buffer|out of range|outside the bounds/i.test(msg)) {
      throw new DicomReadError(
        'truncated',
        `truncated: the data end before the last element is complete (${msg})`,
      );
    }
    throw new DicomReadError('corrupt', `unreadable DICOM: ${msg}`);
  }
  return ds;
}

/** The transfer syntax UID a data set was read with. */
export function transferSyntaxOf(ds: DataSet): string {
  const el = ds.elements.x00020010 as (DP.Element & { Value?: string }) | undefined;
  const v = el?.Value ?? ds.string('x00020010') ?? '1.2.840.10008.1.2';
  return v.replace(/\0/g, '').trim();
}

/** True for explicit VR big endian. */
export function isBigEndian(ds: DataSet): boolean {
  return transferSyntaxOf(ds) === '1.2.840.10008.1.2.2';
}

/**
 * Cheap test on the first bytes of a file (at least 132 when available): could it be DICOM? True for a Part 10
 * preamble or a plausible raw data set (also shifted by one stray byte). Lets an importer skip large non-DICOM files
 * without reading them.
 */
export function mightBeDicom(head: Uint8Array, totalLength: number): boolean {
  if (hasPart10Preamble(head)) return true;
  return (
    !!sniffRawDataSet(head, totalLength) ||
    (head.length > 13 && !!sniffRawDataSet(head.subarray(1), totalLength - 1))
  );
}
