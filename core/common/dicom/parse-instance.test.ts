import { describe, expect, it } from 'vitest';
import { parseInstance } from './parse-instance';
import { readAttributes } from './read-attributes';
import { DicomReadError } from './dicom-read-error';
import { ctSeriesFiles } from '../../../tests/phantoms/ct-series';
import { ctBadFiles } from '../../../tests/phantoms/ct-bad-files';
import { TS, writePart10 } from '../../../tests/phantoms/ct-part10-writer';
import { labelmapSeg } from '../../../tests/phantoms/labelmap-seg';

const loc = (name: string) => ({ kind: 'file' as const, path: `/data/study/${name}` });

describe('parseInstance', () => {
  for (const ts of ['explicitLE', 'implicitLE', 'explicitBE', 'rle', 'raw'] as const) {
    it(`reads the header of a ${ts} CT slice`, async () => {
      const files = await ctSeriesFiles({ dims: [32, 24, 3], transferSyntax: ts, spacing: [0.5, 0.7, 2.5] });
      const p = parseInstance(files[0].bytes, loc(files[0].name));
      expect(p.instance.rows).toBe(24);
      expect(p.instance.columns).toBe(32);
      expect(p.instance.pixelSpacing).toEqual([0.7, 0.5]);
      expect(p.instance.imageOrientationPatient).toEqual([1, 0, 0, 0, 1, 0]);
      expect(p.instance.imagePositionPatient).toHaveLength(3);
      expect(p.series.modality).toBe('CT');
      expect(p.series.imageType).toEqual(['ORIGINAL', 'PRIMARY', 'AXIAL']);
      expect(p.patient.patientId).toBe('PHANTOM-CT');
      expect(p.study.studyDate).toBe('20240102');
      expect(p.instance.transferSyntaxUid).toBe(
        ts === 'raw' ? TS.explicitLE : ts === 'rle' ? TS.rle : TS[ts],
      );
      expect(p.instance.generatedUids).toBeUndefined();
    });
  }

  it('reports every bad-input case with its kind and a reason, never anything else', async () => {
    for (const f of await ctBadFiles()) {
      let err: unknown;
      try {
        parseInstance(f.bytes, loc(f.name));
      } catch (e) {
        err = e;
      }
      expect(err, f.name).toBeInstanceOf(DicomReadError);
      expect((err as DicomReadError).kind, `${f.name}: ${(err as DicomReadError).reason}`).toBe(f.expectKind);
      expect((err as DicomReadError).reason.length).toBeGreaterThan(5);
    }
  });

  it("keeps a SEG's SegmentationType on its series record (plugin inputs select LABELMAP SEGs by it)", () => {
    const geometry = {
      dimensions: [4, 3, 2] as [number, number, number],
      spacing: [1, 1, 2] as [number, number, number],
      origin: [0, 0, 0] as [number, number, number],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ],
    };
    const vol = {
      geometry,
      data: new Uint8Array(24),
      frames: 1,
      unit: '1',
      metadata: { modality: 'SEG' },
      warnings: [],
    };
    const seg = parseInstance(labelmapSeg(vol, new Uint8Array(24).fill(1)), loc('seg.dcm'));
    expect(seg.series.modality).toBe('SEG');
    expect(seg.series.segmentationType).toBe('LABELMAP');
  });

  it('generates stable UIDs for anonymised files, or refuses them on request', () => {
    const el = [
      { tag: 0x00080060, vr: 'CS', value: 'CT' },
      { tag: 0x0020000d, vr: 'UI', value: '' },
      { tag: 0x00200032, vr: 'DS', value: '0\\0\\5' },
      { tag: 0x00280010, vr: 'US', value: 2 },
      { tag: 0x00280011, vr: 'US', value: 2 },
      { tag: 0x00280100, vr: 'US', value: 16 },
      { tag: 0x7fe00010, vr: 'OW', value: new Uint8Array(8) },
    ];
    const bytes = writePart10(el, { transferSyntaxUid: TS.explicitLE });
    const a = parseInstance(bytes, loc('a.dcm'));
    const b = parseInstance(bytes, loc('a.dcm'));
    const c = parseInstance(bytes, loc('b.dcm'));
    expect(a.instance.generatedUids).toBe(true);
    expect(a.instance.sopInstanceUid).toMatch(/^2\.25\.\d+$/);
    expect(a.instance.sopInstanceUid).toBe(b.instance.sopInstanceUid);
    expect(c.instance.sopInstanceUid).not.toBe(a.instance.sopInstanceUid);
    expect(c.instance.seriesInstanceUid).toBe(a.instance.seriesInstanceUid);
    expect(() => parseInstance(bytes, loc('a.dcm'), { missingUids: 'error' })).toThrow(/Study Instance UID/);
  });
});

describe('readAttributes', () => {
  it('keys standard attributes by keyword and private ones by tag (binary as base64)', async () => {
    const csa = Uint8Array.from([0x53, 0x56, 0x31, 0x30, 1, 2, 3, 250]);
    for (const ts of ['explicitLE', 'implicitLE', 'explicitBE'] as const) {
      const [f] = await ctSeriesFiles({
        dims: [8, 8, 1],
        transferSyntax: ts,
        extra: [
          { tag: 0x00290010, vr: 'LO', value: 'SIEMENS CSA HEADER' },
          { tag: 0x00291010, vr: 'OB', value: csa },
          { tag: 0x00180080, vr: 'DS', value: '2540' },
        ],
      });
      const a = readAttributes(f.bytes);
      expect(a.Modality).toBe('CT');
      expect(a.ImageType).toEqual(['ORIGINAL', 'PRIMARY', 'AXIAL']);
      expect(a.KVP).toBe(120);
      expect(a.ConvolutionKernel).toBe('B30f');
      expect(a.RepetitionTime).toBe(2540);
      expect(a.Rows).toBe(8);
      expect(a.PixelSpacing).toEqual([0.8, 0.8]);
      expect(a.x00290010).toBe('SIEMENS CSA HEADER');
      expect(a.x00291010).toBe(btoa(String.fromCharCode(...csa)));
      expect(JSON.parse(JSON.stringify(a))).toEqual(a);
      expect(a.PixelData).toBeUndefined();
    }
  });
});
