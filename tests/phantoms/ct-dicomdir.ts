/**
 * Writes a minimal DICOMDIR referencing given files (relative paths with '/' separators), for import tests.
 *
 * @packageDocumentation
 */
import { TS, writePart10 } from './ct-part10-writer';

/** A DICOMDIR whose IMAGE records reference `paths` (written as ReferencedFileID components). */
export function ctDicomdir(paths: string[]): Uint8Array {
  const items = [
    [
      { tag: 0x00041430, vr: 'CS', value: 'PATIENT' },
      { tag: 0x00100020, vr: 'LO', value: 'PHANTOM-CT' },
    ],
    ...paths.map((p, i) => [
      { tag: 0x00041430, vr: 'CS', value: 'IMAGE' },
      { tag: 0x00041500, vr: 'CS', value: p.split('/').join('\\') },
      { tag: 0x00041511, vr: 'UI', value: `1.2.3.${i + 1}` },
    ]),
  ];
  return writePart10(
    [
      { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.1.3.10' },
      { tag: 0x00080018, vr: 'UI', value: '1.2.3.999' },
      { tag: 0x00041130, vr: 'CS', value: 'QIVIEW' },
      { tag: 0x00041220, vr: 'SQ', value: items },
    ],
    { transferSyntaxUid: TS.explicitLE },
  );
}
