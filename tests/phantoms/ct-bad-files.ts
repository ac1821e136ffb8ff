/**
 * Broken inputs for the bad-input tests: each file comes with the {@link SkippedFile} kind a reader must report.
 *
 * @packageDocumentation
 */
import type { SkippedFile } from '../../core/common/dicom/records';
import { ctSeriesFiles, type GeneratedFile } from './ct-series';
import { TS, writePart10, type WriteElement } from './ct-part10-writer';

/** A generated bad file and the kind of error expected for it. */
export interface BadFile extends GeneratedFile {
  expectKind: SkippedFile['kind'];
}

/** Generates one file per bad-input case (not DICOM, truncated, missing tags, no pixel data, garbage). */
export async function ctBadFiles(): Promise<BadFile[]> {
  const [good] = await ctSeriesFiles({ dims: [16, 16, 1], shuffle: false });
  const [goodRle] = await ctSeriesFiles({ dims: [16, 16, 1], transferSyntax: 'rle', shuffle: false });
  const minimal = (drop: number[]): Uint8Array => {
    const el: WriteElement[] = [
      { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
      { tag: 0x00080018, vr: 'UI', value: '1.2.3.4.5' },
      { tag: 0x00080060, vr: 'CS', value: 'CT' },
      { tag: 0x0020000d, vr: 'UI', value: '1.2.3' },
      { tag: 0x0020000e, vr: 'UI', value: '1.2.3.4' },
      { tag: 0x00280010, vr: 'US', value: 4 },
      { tag: 0x00280011, vr: 'US', value: 4 },
      { tag: 0x00280100, vr: 'US', value: 16 },
      { tag: 0x00280103, vr: 'US', value: 0 },
      { tag: 0x7fe00010, vr: 'OW', value: new Uint8Array(32) },
    ].filter((e) => !drop.includes(e.tag));
    return writePart10(el, { transferSyntaxUid: TS.explicitLE });
  };
  const text = new TextEncoder().encode('# README\nThis folder holds a CT study.\n');
  const random = new Uint8Array(2048);
  let s = 12345;
  for (let i = 0; i < random.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    random[i] = s >>> 24;
  }
  return [
    { name: 'README.txt', bytes: text, expectKind: 'not-dicom' },
    { name: 'noise.bin', bytes: random, expectKind: 'not-dicom' },
    { name: 'empty.dcm', bytes: new Uint8Array(0), expectKind: 'not-dicom' },
    {
      name: 'truncated-pixels.dcm',
      bytes: good.bytes.slice(0, good.bytes.length - 100),
      expectKind: 'truncated',
    },
    { name: 'truncated-header.dcm', bytes: good.bytes.slice(0, 300), expectKind: 'truncated' },
    {
      name: 'truncated-rle.dcm',
      bytes: goodRle.bytes.slice(0, goodRle.bytes.length - 40),
      expectKind: 'truncated',
    },
    { name: 'no-rows.dcm', bytes: minimal([0x00280010]), expectKind: 'missing-tags' },
    { name: 'no-pixels.dcm', bytes: minimal([0x7fe00010]), expectKind: 'missing-tags' },
    { name: 'no-image.dcm', bytes: minimal([0x7fe00010, 0x00280010, 0x00280011]), expectKind: 'unsupported' },
  ];
}
