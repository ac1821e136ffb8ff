/**
 * Siemens 2D pCASL (dcm_qa_asl, Prisma E11 ep2d_pcasl): every ASL parameter decoded by the plugin's CSA/ASCCONV
 * reader from the host's `dicom` attributes (core readAttributes: private tags as base64) equals dcm2niix's reference
 * JSON; the plugin's parameter resolution takes PLD and label duration from the header with that provenance.
 * Skips when ../shared/data is absent.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Geometry } from '@qiview/sdk';
import { readAttributes } from '../../core/common/dicom/read-attributes';
import { resolveParameters } from '../../plugins/asl-perfusion/params';
import { PCASL_RF_BLOCK_S, siemensAslParameters } from '../../plugins/asl-perfusion/vendor/siemens';

const DIR = path.resolve(__dirname, '../../../shared/data/asl-siemens-pcasl2d-dcmqa');
const SERIES = path.join(DIR, 'dicom', '9_pcasl_2d');
const REF = path.join(DIR, 'reference', 'pcasl_2d_9.json');

describe.skipIf(!existsSync(SERIES) || !existsSync(REF))('Siemens pCASL 2D CSA parameters', () => {
  const first = readdirSync(SERIES)
    .filter((f) => f.endsWith('.dcm'))
    .sort()[0]!;
  const attrs = readAttributes(new Uint8Array(readFileSync(path.join(SERIES, first)))) as Record<
    string,
    unknown
  >;
  const ref = JSON.parse(readFileSync(REF, 'utf8')) as Record<string, unknown>;

  it('decodes every ASL parameter of the reference JSON exactly', () => {
    const p = siemensAslParameters(attrs)!;
    expect(p).toBeDefined();
    for (const k of [
      'LabelOffset',
      'PostLabelDelay',
      'NumRFBlocks',
      'RFGap',
      'MeanGzx10',
      'PhiAdjust',
      'ArterialSpinLabelingType',
    ] as const) {
      expect.soft(p[k], k).toBe(ref[k]);
    }
    expect(p.PulseSequenceDetails).toBe(ref.PulseSequenceDetails);
    const st = ref.SliceTiming as number[];
    expect(p.SliceTiming).toHaveLength(st.length);
    p.SliceTiming!.forEach((t, i) => expect(t).toBeCloseTo(st[i]!, 6));
  });

  it('resolves PLD, label duration and slice timing from the header with provenance', () => {
    const geometry: Geometry = {
      dimensions: [72, 72, 20],
      spacing: [3, 3, 6],
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    };
    const volume = {
      geometry,
      data: new Float32Array(0),
      frames: 102,
      unit: 'arbitrary',
      metadata: { modality: 'MR' },
      warnings: [],
    };
    const { values, provenance } = resolveParameters({
      series: { asl: { role: 'asl', volume, dicom: attrs } },
      parameters: {},
    });
    expect(values.pld).toEqual([ref.PostLabelDelay]);
    expect(values.labelDuration).toBeCloseTo((ref.NumRFBlocks as number) * PCASL_RF_BLOCK_S, 9);
    expect(values.readout).toBe('2D');
    expect(values.fieldStrength).toBe(ref.MagneticFieldStrength);
    expect(values.sliceTiming.length).toBe(20);
    expect(provenance.find((r) => r.key === 'pld')!.source).toBe('header');
    expect(provenance.find((r) => r.key === 'labelDuration')!.detail).toMatch(/NumRFBlocks/);
  });
});
