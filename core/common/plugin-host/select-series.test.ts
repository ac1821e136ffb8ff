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
