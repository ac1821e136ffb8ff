import { describe, expect, it } from 'vitest';
import { sortByGeometry } from './sort-by-geometry';
import type { InstanceRecord } from './records';

function inst(p: Partial<InstanceRecord> & { sopInstanceUid: string }): InstanceRecord {
  return {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    seriesInstanceUid: 's',
    studyInstanceUid: 't',
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    numberOfFrames: 1,
    rows: 4,
    columns: 4,
    location: { kind: 'memory', id: p.sopInstanceUid },
    format: 'dicom',
    imageOrientationPatient: [1, 0, 0, 0, 1, 0],
    ...p,
  };
}

describe('sortByGeometry', () => {
  it('orders by position along the normal, not by instance number or name', () => {
    const zs = [10, -2, 4, 1, 7];
    const items = zs.map((z, i) =>
      inst({ sopInstanceUid: `u${i}`, instanceNumber: i + 1, imagePositionPatient: [5, 5, z] }),
    );
    const r = sortByGeometry(items);
    expect(r.hasGeometry).toBe(true);
    expect(r.positions).toEqual([-2, 1, 4, 7, 10]);
    expect(r.frames[0].map((x) => x.imagePositionPatient![2])).toEqual([-2, 1, 4, 7, 10]);
    expect(r.spacing).toBeCloseTo(3, 9);
    expect(r.unevenSpacing).toBe(false);
    expect(r.warnings).toEqual([]);
  });

  it('uses the oblique normal (sagittal: normal along -x for row=y col=-z)', () => {
    const iop: [number, number, number, number, number, number] = [0, 1, 0, 0, 0, -1];
    const xs = [3, 0, 6];
    const r = sortByGeometry(
      xs.map((x, i) =>
        inst({ sopInstanceUid: `u${i}`, imageOrientationPatient: iop, imagePositionPatient: [x, 0, 0] }),
      ),
    );
    expect(r.normal).toEqual([-1, 0, 0]);
    expect(r.frames[0].map((x) => x.imagePositionPatient![0])).toEqual([6, 3, 0]);
    expect(r.spacing).toBeCloseTo(3, 9);
  });

  it('detects uneven spacing (missing slice)', () => {
    const zs = [0, 2, 4, 8, 10];
    const r = sortByGeometry(
      zs.map((z, i) => inst({ sopInstanceUid: `u${i}`, imagePositionPatient: [0, 0, z] })),
    );
    expect(r.unevenSpacing).toBe(true);
    expect(r.warnings.join()).toMatch(/uneven slice spacing/);
    expect(r.spacing).toBeCloseTo(2.5, 9);
  });

  it('drops exact duplicates (same SOP Instance UID) with a warning', () => {
    const a = inst({ sopInstanceUid: 'a', imagePositionPatient: [0, 0, 0] });
    const b = inst({ sopInstanceUid: 'b', imagePositionPatient: [0, 0, 1] });
    const r = sortByGeometry([a, b, { ...a }]);
    expect(r.frames).toHaveLength(1);
    expect(r.frames[0]).toHaveLength(2);
    expect(r.duplicates).toHaveLength(1);
    expect(r.warnings.join()).toMatch(/duplicate/);
  });

  it('splits a 4D series into temporal frames by AcquisitionNumber, not InstanceNumber', () => {
    const items: InstanceRecord[] = [];
    let n = 0;
    for (let t = 0; t < 3; t++)
      for (let z = 0; z < 4; z++)
        items.push(
          inst({
            sopInstanceUid: `t${t}z${z}`,
            acquisitionNumber: t + 1,
            instanceNumber: 100 - n++,
            imagePositionPatient: [0, 0, z * 5],
          }),
        );
    const r = sortByGeometry([...items].reverse());
    expect(r.frames).toHaveLength(3);
    for (let t = 0; t < 3; t++)
      expect(r.frames[t].map((x) => x.sopInstanceUid)).toEqual([0, 1, 2, 3].map((z) => `t${t}z${z}`));
    expect(r.warnings).toEqual([]);
  });

  it('missing geometry: plain stack by instance number with a warning', () => {
    const r = sortByGeometry([
      inst({ sopInstanceUid: 'a', instanceNumber: 3 }),
      inst({ sopInstanceUid: 'b', instanceNumber: 1, imagePositionPatient: [0, 0, 0] }),
      inst({ sopInstanceUid: 'c', instanceNumber: 2 }),
    ]);
    expect(r.hasGeometry).toBe(false);
    expect(r.frames[0].map((x) => x.sopInstanceUid)).toEqual(['b', 'c', 'a']);
    expect(r.warnings.join()).toMatch(/opens as a plain stack/);
  });

  it('mixed orientations: plain stack', () => {
    const r = sortByGeometry([
      inst({ sopInstanceUid: 'a', imagePositionPatient: [0, 0, 0] }),
      inst({
        sopInstanceUid: 'b',
        imagePositionPatient: [0, 0, 1],
        imageOrientationPatient: [0, 1, 0, 0, 0, -1],
      }),
    ]);
    expect(r.hasGeometry).toBe(false);
    expect(r.warnings.join()).toMatch(/different orientations/);
  });

  it('accepts ParsedInstance-like wrappers', () => {
    const r = sortByGeometry(
      [1, 0].map((z) => ({ instance: inst({ sopInstanceUid: `u${z}`, imagePositionPatient: [0, 0, z] }) })),
    );
    expect(r.frames[0].map((x) => x.instance.sopInstanceUid)).toEqual(['u0', 'u1']);
  });
});
