import { describe, expect, it } from 'vitest';
import { buildVolume } from './build-volume';
import { voxelToWorld, worldToVoxel } from '../../../plugins/sdk/volume';
import { ctSeriesExpectedHu, ctSeriesFiles, ctSeriesGeometry } from '../../../tests/phantoms/ct-series';
import { ctBadFiles } from '../../../tests/phantoms/ct-bad-files';
import { TS, writePart10, type WriteElement } from '../../../tests/phantoms/ct-part10-writer';
import { DicomReadError } from './dicom-read-error';
import { ctEnhancedInstance } from '../../../tests/phantoms/ct-enhanced';

describe('buildVolume', () => {
  it('builds HU, LPS geometry and metadata from shuffled files', async () => {
    const o = {
      dims: [48, 40, 12] as [number, number, number],
      spacing: [0.7, 0.9, 2.5] as [number, number, number],
    };
    const files = await ctSeriesFiles(o);
    const v = await buildVolume(files.map((f) => ({ bytes: f.bytes })));
    const g = ctSeriesGeometry(o);
    expect(v.geometry.dimensions).toEqual([48, 40, 12]);
    expect(v.geometry.spacing[0]).toBeCloseTo(0.7, 6);
    expect(v.geometry.spacing[1]).toBeCloseTo(0.9, 6);
    expect(v.geometry.spacing[2]).toBeCloseTo(2.5, 6);
    for (let a = 0; a < 3; a++) expect(v.geometry.origin[a]).toBeCloseTo(g.origin[a], 4);
    expect(v.geometry.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(v.data).toBeInstanceOf(Int16Array);
    expect(v.unit).toBe('HU');
    expect(v.frames).toBe(1);
    expect(Array.from(v.data)).toEqual(Array.from(ctSeriesExpectedHu(o)));
    expect(v.metadata.modality).toBe('CT');
    expect(v.metadata.tags?.ConvolutionKernel).toBe('B30f');
    expect(v.metadata.tags?.KVP).toBe(120);
    expect(v.warnings).toEqual([]);
    // the 300 HU insert lies at +x (patient left) of the centre
    const c = worldToVoxel(v.geometry, [0.2 * Math.min(48 * 0.7, 40 * 0.9), 0, 0]);
    const idx = Math.round(c[0]) + 48 * (Math.round(c[1]) + 40 * Math.round(c[2]));
    expect(v.data[idx]).toBe(300);
  });

  it('oblique/sagittal orientation: direction and origin follow the normal order', async () => {
    const o = {
      dims: [16, 16, 6] as [number, number, number],
      orientation: [0, 1, 0, 0, 0, -1] as [number, number, number, number, number, number],
      transferSyntax: 'implicitLE' as const,
    };
    const v = await buildVolume((await ctSeriesFiles(o)).map((f) => ({ bytes: f.bytes })));
    expect(v.geometry.direction).toEqual([0, 1, 0, 0, 0, -1, -1, 0, 0]);
    const g = ctSeriesGeometry(o);
    const last = voxelToWorld(v.geometry, 0, 0, 5);
    for (let a = 0; a < 3; a++) expect(last[a]).toBeCloseTo(g.origin[a] + 5 * 2 * g.direction[6 + a], 4);
  });

  it('missing geometry: plain stack with a visible warning; uneven spacing: warning', async () => {
    const v = await buildVolume(
      (await ctSeriesFiles({ dims: [8, 8, 4], noGeometry: true })).map((f) => ({ bytes: f.bytes })),
    );
    expect(v.warnings.join()).toMatch(/opens as a plain stack/);
    const u = await buildVolume(
      (await ctSeriesFiles({ dims: [8, 8, 4], slicePositions: [0, 2, 4, 9] })).map((f) => ({
        bytes: f.bytes,
      })),
    );
    expect(u.warnings.join()).toMatch(/uneven slice spacing/);
    expect(u.geometry.spacing[2]).toBeCloseTo(3, 6);
  });

  it('non-integer rescale gives Float32; bad files are skipped with a warning; only bad files throw', async () => {
    const extra: WriteElement[] = [];
    const files = await ctSeriesFiles({ dims: [8, 8, 3], extra });
    const bad = await ctBadFiles();
    const v = await buildVolume([...files, bad[3]].map((f) => ({ bytes: f.bytes })));
    expect(v.warnings.join()).toMatch(/could not be read/);
    expect(v.geometry.dimensions[2]).toBe(3);
    await expect(buildVolume(bad.slice(0, 2).map((f) => ({ bytes: f.bytes })))).rejects.toBeInstanceOf(
      DicomReadError,
    );

    const mk = (z: number, uid: string) =>
      writePart10(
        [
          { tag: 0x00080018, vr: 'UI', value: uid },
          { tag: 0x00080060, vr: 'CS', value: 'PT' },
          { tag: 0x0020000d, vr: 'UI', value: '1.9' },
          { tag: 0x0020000e, vr: 'UI', value: '1.9.1' },
          { tag: 0x00200032, vr: 'DS', value: `0\\0\\${z}` },
          { tag: 0x00200037, vr: 'DS', value: '1\\0\\0\\0\\1\\0' },
          { tag: 0x00280010, vr: 'US', value: 2 },
          { tag: 0x00280011, vr: 'US', value: 2 },
          { tag: 0x00280100, vr: 'US', value: 16 },
          { tag: 0x00280101, vr: 'US', value: 16 },
          { tag: 0x00280103, vr: 'US', value: 0 },
          { tag: 0x00281052, vr: 'DS', value: '0' },
          { tag: 0x00281053, vr: 'DS', value: '0.5' },
          { tag: 0x7fe00010, vr: 'OW', value: new Uint8Array(new Uint16Array([1, 2, 3, 60000]).buffer) },
        ],
        { transferSyntaxUid: TS.explicitLE },
      );
    const pt = await buildVolume([{ bytes: mk(0, '1.9.1.1') }, { bytes: mk(3, '1.9.1.2') }]);
    expect(pt.data).toBeInstanceOf(Float32Array);
    expect(Array.from(pt.data.subarray(0, 4))).toEqual([0.5, 1, 1.5, 30000]);
  });

  it('4D: instances at the same positions become frames in temporal order', async () => {
    const all = (
      await Promise.all(
        [2, 1].map((acq) =>
          ctSeriesFiles({
            dims: [8, 8, 3],
            seriesUid: '1.2.826.0.1.3680043.10.1.1.4',
            sopUidPrefix: `1.2.826.0.1.3680043.10.1.1.4.${acq}`,
            extra: [{ tag: 0x00200012, vr: 'IS', value: String(acq) }],
          }),
        ),
      )
    )
      .flat()
      .map((f) => ({ bytes: f.bytes }));
    const v = await buildVolume(all);
    expect(v.frames).toBe(2);
    expect(v.data.length).toBe(8 * 8 * 3 * 2);
    expect(v.metadata.frameInfo?.map((x) => x.acquisitionNumber)).toEqual([1, 2]);
  });
});

describe('buildVolume: enhanced multi-frame', () => {
  it('orders frames by PlanePositionSequence, applies per-frame rescale, splits temporal positions', async () => {
    const { bytes, expected } = ctEnhancedInstance({ dims: [24, 20, 6], timepoints: 3, sliceSpacing: 3 });
    const v = await buildVolume([{ bytes }]);
    expect(v.geometry.dimensions).toEqual([24, 20, 6]);
    expect(v.frames).toBe(3);
    expect(v.geometry.spacing[2]).toBeCloseTo(3, 6);
    expect(v.geometry.origin).toEqual([-12, -10, -50]);
    expect(v.unit).toBe('HU');
    expect(v.data).toBeInstanceOf(Int16Array);
    let bad = 0;
    for (let i = 0; i < expected.length; i++) if (v.data[i] !== expected[i]) bad++;
    expect(bad).toBe(0);
    expect(v.metadata.frameInfo?.map((f) => f.temporalPositionIndex)).toEqual([1, 2, 3]);
  });
});
