import { describe, expect, it } from 'vitest';
import { groupInstances } from './group-instances';
import { parseInstance } from './parse-instance';
import { ctSeriesFiles } from '../../../tests/phantoms/ct-series';

describe('groupInstances', () => {
  it('groups two series of one study, counts images and carries geometry warnings', async () => {
    const a = await ctSeriesFiles({ dims: [8, 8, 5], seriesUid: '1.2.3.1' });
    const b = await ctSeriesFiles({ dims: [8, 8, 3], seriesUid: '1.2.3.2', noGeometry: true });
    const c = await ctSeriesFiles({
      dims: [8, 8, 2],
      seriesUid: '1.2.4.1',
      studyUid: '1.2.4',
      patientId: 'P2',
    });
    const parsed = [...a, ...b, ...c, a[0]].map((f, i) =>
      parseInstance(f.bytes, { kind: 'memory', id: `${i}` }),
    );
    const g = groupInstances(parsed);
    expect(g.patients.map((p) => p.patientId).sort()).toEqual(['P2', 'PHANTOM-CT']);
    expect(g.studies).toHaveLength(2);
    const s1 = g.studies.find((s) => s.studyInstanceUid !== '1.2.4')!;
    expect(s1.seriesCount).toBe(2);
    expect(s1.imageCount).toBe(8);
    expect(s1.modalities).toEqual(['CT']);
    const sa = g.series.find((s) => s.seriesInstanceUid === '1.2.3.1')!;
    expect(sa.instanceCount).toBe(5);
    expect(sa.warnings.join()).toMatch(/duplicate/);
    const sb = g.series.find((s) => s.seriesInstanceUid === '1.2.3.2')!;
    expect(sb.warnings.join()).toMatch(/plain stack/);
    const z = g.instances['1.2.3.1'].map((i) => i.imagePositionPatient![2]);
    expect(z).toEqual([...z].sort((x, y) => x - y));
    expect(JSON.parse(JSON.stringify(g))).toEqual(g);
  });
});
