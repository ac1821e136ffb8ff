import { describe, expect, it } from 'vitest';
import { matchesInput, type Manifest } from '@qiview/sdk';
import { mayFillAnyInput, selectSeries } from './select-series';

const manifest: Pick<Manifest, 'inputs'> = {
  inputs: [
    {
      role: 'asl',
      required: true,
      rules: [
        { attribute: 'Modality', equals: ['MR'] },
        { attribute: 'SeriesDescription', pattern: 'asl|pcasl' },
      ],
      multiFrame: true,
    },
    {
      role: 'roi',
      required: false,
      rules: [
        { attribute: 'Modality', equals: ['SEG'] },
        { attribute: 'SegmentationType', equals: ['LABELMAP'] },
      ],
    },
    {
      role: 'other',
      required: false,
      rules: [
        { attribute: 'Modality', equals: ['CT'] },
        { attribute: 'ImageType', pattern: 'LOCALIZER', not: true },
      ],
    },
  ],
};

describe('mayFillAnyInput (QIDO-RS attributes only)', () => {
  it('judges the rules on attributes that have a value', () => {
    expect(mayFillAnyInput(manifest, { Modality: 'MR', SeriesDescription: 'tgse_pcasl' })).toBe(true);
    expect(mayFillAnyInput(manifest, { Modality: 'MR', SeriesDescription: 'ep2d_bold_rest' })).toBe(false);
    expect(mayFillAnyInput(manifest, { Modality: 'SR', SeriesDescription: 'pcasl' })).toBe(false);
    expect(mayFillAnyInput(manifest, { Modality: 'MG' })).toBe(false);
  });

  it('leaves rules on absent or blank attributes to the full check (never refuses a series that could fit)', () => {
    // SeriesDescription not returned, or empty: the MR series may be the ASL one
    expect(mayFillAnyInput(manifest, { Modality: 'MR' })).toBe(true);
    expect(mayFillAnyInput(manifest, { Modality: 'MR', SeriesDescription: '  ' })).toBe(true);
    // SegmentationType is not a QIDO attribute: any SEG may be a LABELMAP
    expect(mayFillAnyInput(manifest, { Modality: 'SEG', SeriesDescription: 'tissue' })).toBe(true);
    // a `not` rule on an absent attribute is left open too
    expect(mayFillAnyInput(manifest, { Modality: 'CT' })).toBe(true);
    expect(mayFillAnyInput(manifest, { Modality: 'CT', ImageType: ['ORIGINAL', 'LOCALIZER'] })).toBe(false);
    // nothing known: retrieve
    expect(mayFillAnyInput(manifest, {})).toBe(true);
  });

  it('refuses only series that no input matches with their full attributes', () => {
    const full: Array<Record<string, unknown>> = [
      { Modality: 'MR', SeriesDescription: 'pCASL', ImageType: 'ORIGINAL' },
      { Modality: 'MR', SeriesDescription: 'ep2d_bold_rest' },
      { Modality: 'SEG', SeriesDescription: 'tissue', SegmentationType: 'BINARY' },
      { Modality: 'SEG', SegmentationType: 'LABELMAP' },
      { Modality: 'CT', ImageType: ['ORIGINAL', 'LOCALIZER'] },
      { Modality: 'CT', ImageType: ['ORIGINAL', 'AXIAL'] },
    ];
    for (const attributes of full) {
      const qido = { Modality: attributes.Modality, SeriesDescription: attributes.SeriesDescription };
      const fits = manifest.inputs.some((i) => matchesInput(i, attributes));
      if (fits) expect(mayFillAnyInput(manifest, qido)).toBe(true);
      expect(selectSeries(manifest, [{ id: 'x', attributes, slices: 1, frames: 2 }]).ok).toBe(
        matchesInput(manifest.inputs[0]!, attributes),
      );
    }
  });
});

describe('selectSeries', () => {
  const asl: Pick<Manifest, 'inputs'> = {
    inputs: [
      {
        role: 'asl',
        required: true,
        rules: [{ attribute: 'SeriesDescription', pattern: 'asl|pcasl' }],
        multiFrame: true,
      },
      { role: 'm0', required: false, rules: [{ attribute: 'SeriesDescription', pattern: 'm0|proton' }] },
    ],
  };
  const m0 = { id: 'm0', attributes: { SeriesDescription: 'tgse_pcasl_M0' }, slices: 16, frames: 2 };
  const pairs = { id: 'asl', attributes: { SeriesDescription: 'tgse_pcasl' }, slices: 16, frames: 20 };

  it('gives an input the candidate that fits it alone before one that also fits a later input', () => {
    // a 2-volume M0 series numbered before the ASL series fits both inputs: it is the M0, not the ASL
    const sel = selectSeries(asl, [m0, pairs]);
    expect(sel).toMatchObject({ ok: true, roles: { asl: 'asl', m0: 'm0' } });
    expect(selectSeries(asl, [pairs, m0])).toMatchObject({ ok: true, roles: { asl: 'asl', m0: 'm0' } });
  });

  it('still takes a candidate fitting several inputs when nothing fits the input alone', () => {
    // ASL with the M0 inside, named so: the only ASL candidate
    expect(selectSeries(asl, [m0])).toMatchObject({ ok: true, roles: { asl: 'm0' } });
    // inputs with the same rules (lung CT and its prior): the given order decides, as before
    const same: Pick<Manifest, 'inputs'> = {
      inputs: [
        { role: 'ct', required: true, rules: [{ attribute: 'Modality', equals: ['CT'] }] },
        { role: 'prior', required: false, rules: [{ attribute: 'Modality', equals: ['CT'] }] },
      ],
    };
    const ct = (id: string) => ({ id, attributes: { Modality: 'CT' }, slices: 20, frames: 1 });
    expect(selectSeries(same, [ct('a'), ct('b')])).toMatchObject({ roles: { ct: 'a', prior: 'b' } });
  });
});
