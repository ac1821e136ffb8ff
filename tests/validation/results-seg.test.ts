import { describe, expect, it } from 'vitest';
import { writeSeg } from '../../core/common/results/write-seg';
import { readSeg } from '../../core/common/results/read-seg';
import { dcmjs } from '../../core/common/results/dcmjs';
import { phantomLabelmap, phantomSource, phantomInstances, PHANTOM_SERIES_UID } from './results-phantom';

function countLabel(data: Uint8Array, label: number) {
  let n = 0;
  for (const v of data) if (v === label) n++;
  return n;
}

describe('DICOM SEG round trip', () => {
  const lm = phantomLabelmap();
  const bytes = writeSeg(lm, phantomSource(), {
    referencedInstances: phantomInstances(lm.geometry.dimensions[2]),
    seriesDescription: 'Phantom SEG',
  });

  it('reads back voxel-for-voxel on the source geometry', () => {
    const back = readSeg(bytes, lm.geometry);
    expect(back.data.length).toBe(lm.data.length);
    let diff = 0;
    for (let i = 0; i < lm.data.length; i++) if (back.data[i] !== lm.data[i]) diff++;
    expect(diff).toBe(0);
    expect(countLabel(back.data, 2)).toBeGreaterThan(100);
    expect(countLabel(back.data, 7)).toBe(6 * 6 * 4);
    expect(back.referencedSeriesUid).toBe(PHANTOM_SERIES_UID);
    const byLabel = new Map(back.segments.map((s) => [s.label, s]));
    for (const s of lm.segments) {
      const b = byLabel.get(s.label)!;
      expect(b.name).toBe(s.name);
      expect(b.category).toEqual(s.category);
      expect(b.type).toEqual(s.type);
      expect(b.algorithm).toEqual(s.algorithm);
      for (let c = 0; c < 3; c++) expect(Math.abs(b.color[c] - s.color[c])).toBeLessThanOrEqual(1);
    }
  });

  it('rebuilds the grid from the frames when no geometry is given (same voxels)', () => {
    const back = readSeg(bytes);
    const g = back.geometry;
    // The frames span only the slices with voxels: k 0..8 here because the sphere covers k 2..6 and the box 2..5
    // would give k 2..6; compare on the overlapping slices.
    const k0 = Math.round((g.origin[2] - lm.geometry.origin[2]) / lm.geometry.spacing[2]);
    expect(g.dimensions[0]).toBe(24);
    expect(g.dimensions[1]).toBe(20);
    for (let c = 0; c < 9; c++) expect(g.direction[c]).toBeCloseTo(lm.geometry.direction[c], 6);
    const n = 24 * 20;
    let diff = 0;
    for (let k = 0; k < g.dimensions[2]; k++)
      for (let p = 0; p < n; p++) if (back.data[k * n + p] !== lm.data[(k + k0) * n + p]) diff++;
    expect(diff).toBe(0);
  });

  it('is read by dcmjs with the same segment names, numbers and frame count', () => {
    const dict = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(0) as ArrayBuffer);
    const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict);
    expect(ds.Modality).toBe('SEG');
    expect(ds.SegmentationType).toBe('BINARY');
    const segs = ds.SegmentSequence as Array<Record<string, any>>;
    expect(segs.map((s) => s.SegmentLabel)).toEqual(['Sphere', 'Box (L1 vertebra)']);
    expect(segs.map((s) => s.SegmentNumber)).toEqual([1, 2]);
    expect(
      segs[1].SegmentedPropertyTypeCodeSequence[0].CodeValue ??
        segs[1].SegmentedPropertyTypeCodeSequence.CodeValue,
    ).toBe('66794005');
    // frames = slices with voxels per segment: sphere k 2..6 (5), box k 2..5 (4)
    expect(ds.NumberOfFrames).toBe(9);
    // dimension index pointers are real tags: ReferencedSegmentNumber in SegmentIdentificationSequence, then IPP
    expect(
      ds.DimensionIndexSequence.map((d: any) => [d.DimensionIndexPointer, d.FunctionalGroupPointer]),
    ).toEqual([
      [0x0062000b, 0x0062000a],
      [0x00200032, 0x00209113],
    ]);
    expect(ds.SegmentsOverlap).toBe('NO');
    expect(ds.ReferencedSeriesSequence[0].ReferencedInstanceSequence.length).toBe(9);
  });

  it('keeps non-ASCII (UTF-8) segment names, which raw dcmjs 0.52 mis-decodes inside sequences', () => {
    const zh = {
      ...lm,
      segments: lm.segments.map((s) => ({ ...s, name: s.label === 2 ? '肿瘤 球' : s.name })),
    };
    const back = readSeg(writeSeg(zh, phantomSource()), lm.geometry);
    expect(back.segments.find((s) => s.label === 2)!.name).toBe('肿瘤 球');
  });

  it('refuses bad input with a clear error', () => {
    const bad = { ...lm, data: lm.data.subarray(1) };
    expect(() => writeSeg(bad, phantomSource())).toThrow(/voxels/);
    const noStudy = phantomSource();
    delete noStudy.StudyInstanceUID;
    expect(() => writeSeg(lm, noStudy)).toThrow(/StudyInstanceUID/);
    expect(() => readSeg(new Uint8Array([1, 2, 3, 4]))).toThrow(/DICOM/);
    const other = new Uint8Array(lm.data);
    other[0] = 9;
    expect(() => writeSeg({ ...lm, data: other }, phantomSource())).toThrow(/no segment/);
  });
});
