import { describe, expect, it } from 'vitest';
import { writeSr, formatDS } from '../../core/common/results/write-sr';
import { readSr } from '../../core/common/results/read-sr';
import { dcmjs } from '../../core/common/results/dcmjs';
import { phantomLabelmap, phantomMeasurements, phantomSource, phantomInstances } from './results-phantom';

describe('DICOM SR TID 1500 round trip', () => {
  const lm = phantomLabelmap();
  const ms = phantomMeasurements();
  const bytes = writeSr(ms, phantomSource(), {
    labelmaps: [lm],
    segInstances: { 'phantom-seg': { sopInstanceUid: '1.2.3.4.5', seriesInstanceUid: '1.2.3.4' } },
    referencedInstances: phantomInstances(9),
    algorithm: {
      name: 'phantom-plugin',
      version: '1.2.3',
      parameters: ['model seg 0.1.0 sha256:abc', 'sdk 1.0.0'],
    },
  });

  it('reads back identical measurements (values bit-exact, NaN/±Inf kept)', () => {
    const r = readSr(bytes);
    expect(r.measurements.length).toBe(ms.length);
    const byKey = new Map(r.measurements.map((m) => [m.key, m]));
    for (const m of ms) {
      const b = byKey.get(m.key)!;
      expect(b, m.key).toBeDefined();
      expect(Object.is(b.value, m.value), `${m.key}: ${b.value} vs ${m.value}`).toBe(true);
      expect(b.name).toBe(m.name);
      expect(b.unit).toBe(m.unit);
      expect(b.concept).toEqual(m.concept);
      expect(b.derivation).toEqual(m.derivation);
      expect(b.region).toEqual(m.region);
      expect(b.uncertainty).toEqual(m.uncertainty);
    }
    expect(r.algorithm).toEqual({
      name: 'phantom-plugin',
      version: '1.2.3',
      parameters: ['model seg 0.1.0 sha256:abc', 'sdk 1.0.0'],
    });
    expect(r.observerName).toBe('phantom-plugin');
    expect(Object.keys(r.trackingUids).sort()).toEqual(['Whole study', 'phantom-seg:2', 'phantom-seg:7']);
  });

  it('is parsed by dcmjs: TID 1500 root, one measurement group per region, DS values ≤ 16 chars', () => {
    const dict = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(0) as ArrayBuffer);
    const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict);
    expect(ds.Modality).toBe('SR');
    expect(ds.ContentTemplateSequence[0].TemplateIdentifier).toBe('1500');
    expect(ds.ConceptNameCodeSequence[0].CodeValue).toBe('126000');
    const imagingMeasurements = ds.ContentSequence.find(
      (c: any) => c.ConceptNameCodeSequence[0].CodeValue === '126010',
    );
    const groups = imagingMeasurements.ContentSequence;
    expect(groups.length).toBe(3);
    const nums = groups.flatMap((g: any) => g.ContentSequence.filter((c: any) => c.ValueType === 'NUM'));
    expect(nums.length).toBe(7);
    const boxVol = nums.find(
      (n: any) =>
        n.ConceptNameCodeSequence[0].CodeValue === '118565006' &&
        n.ContentSequence[0].TextValue === 'box_volume_ml',
    );
    expect(Number(boxVol.MeasuredValueSequence[0].NumericValue)).toBeCloseTo(
      (144 * 0.8 * 0.9 * 2.5) / 1000,
      12,
    );
    expect(boxVol.MeasuredValueSequence[0].MeasurementUnitsCodeSequence[0].CodingSchemeDesignator).toBe(
      'UCUM',
    );
    for (const n of nums) {
      const v = n.MeasuredValueSequence?.[0]?.NumericValue;
      if (v !== undefined) expect(String(v).length).toBeLessThanOrEqual(16);
    }
    const finding = groups[0].ContentSequence.find(
      (c: any) => c.ConceptNameCodeSequence[0].CodeValue === '121071',
    );
    expect(finding.ConceptCodeSequence[0].CodeValue).toBe('108369006');
  });

  it('formats DS within 16 characters and close to the value', () => {
    for (const v of [1 / 3, 123456789.12345679, -1.2345678901234567e-12, 0, -0.5, 1e300, 6.02214076e23]) {
      const s = formatDS(v);
      expect(s.length).toBeLessThanOrEqual(16);
      expect(Math.abs(Number(s) - v)).toBeLessThanOrEqual(Math.abs(v) * 1e-6);
    }
  });

  it('refuses bad input clearly', () => {
    expect(() => writeSr([{ key: '', name: 'x', value: 1, unit: '1' }], phantomSource())).toThrow(/no key/);
    expect(() => readSr(new Uint8Array(10))).toThrow(/DICOM/);
  });
});
