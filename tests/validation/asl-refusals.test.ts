/**
 * Each refusal of the ASL plugin has a test: missing PLD / label duration without a user value (and the user value
 * making it run), unknown vendor scaling (GE ΔM, Philips without private scale slope), unpaired label/control, and
 * mismatched geometry. Inputs are generated (no shared data needed).
 */
import { AnalysisError, type AnalysisInput, type Volume } from '@qiview/sdk';
import { describe, expect, it } from 'vitest';
import plugin, { runAsl } from '../../plugins/asl-perfusion';
import { makeMultiPldPhantom } from '../phantoms/asl-multi-pld';
import { createTestContext } from '../support/node-context';

function small(): AnalysisInput {
  return makeMultiPldPhantom({ dims: [24, 24, 6], plds: [1.8], repeats: 3 }).input;
}

async function refusal(input: AnalysisInput): Promise<AnalysisError> {
  const err = await plugin.run(input, await createTestContext()).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AnalysisError);
  return err as AnalysisError;
}

describe('ASL refusals', () => {
  it('missing PLD without a user value', async () => {
    const input = small();
    delete input.series.asl!.sidecar!.PostLabelingDelay;
    const e = await refusal(input);
    expect(e.code).toBe('missing-parameter');
    expect(e.message).toMatch(/PLD/);
    input.parameters = { pld: 1.8 };
    const run = await runAsl(input, await createTestContext());
    expect(run.result.parameters!.find((p) => p.key === 'pld')).toMatchObject({
      source: 'user',
      value: [1.8],
    });
  });

  it('missing label duration without a user value', async () => {
    const input = small();
    delete input.series.asl!.sidecar!.LabelingDuration;
    const e = await refusal(input);
    expect(e.code).toBe('missing-parameter');
    expect(e.message).toMatch(/Label duration/);
  });

  it('unpaired label/control (aslcontext with one label missing)', async () => {
    const input = small();
    const a = input.series.asl!;
    a.attachments = {
      'x_aslcontext.tsv': ['volume_type', ...Array(a.volume.frames).fill('control')].join('\n'),
    };
    const e = await refusal(input);
    expect(e.code).toBe('unpaired-label-control');
  });

  it('unpaired: odd number of volumes and no ordering information', async () => {
    const input = small();
    const a = input.series.asl!;
    const n = a.volume.geometry.dimensions.reduce((x, y) => x * y, 1);
    a.volume = {
      ...a.volume,
      frames: a.volume.frames - 1,
      data: a.volume.data.subarray(0, n * (a.volume.frames - 1)),
    };
    a.attachments = {};
    a.sidecar!.PostLabelingDelay = 1.8;
    const e = await refusal(input);
    expect(e.code).toBe('unpaired-label-control');
  });

  it('no perfusion signal: label volumes equal to the control ones', async () => {
    const input = small();
    const a = input.series.asl!;
    const n = a.volume.geometry.dimensions.reduce((x, y) => x * y, 1);
    const data = Float32Array.from(a.volume.data as ArrayLike<number>);
    const kinds = (a.attachments?.[Object.keys(a.attachments ?? {})[0]!] ?? '').trim().split('\n').slice(1);
    expect(kinds.length).toBe(a.volume.frames);
    // each label volume becomes a copy of the control volume just before it (its pair)
    let control = -1;
    for (let f = 0; f < a.volume.frames; f++) {
      if (kinds[f] === 'control') control = f;
      else if (kinds[f] === 'label' && control >= 0) data.copyWithin(f * n, control * n, (control + 1) * n);
    }
    a.volume = { ...a.volume, data };
    const e = await refusal(input);
    expect(e.code).toBe('no-perfusion-signal');
    expect(e.message).toMatch(/Control and label volumes do not differ/);
  });

  it('mismatched geometry between M0 and ASL', async () => {
    const input = small();
    const m0 = input.series.m0!.volume;
    const bad: Volume = {
      ...m0,
      geometry: {
        ...m0.geometry,
        origin: [m0.geometry.origin[0] + 20, m0.geometry.origin[1], m0.geometry.origin[2]],
      },
    };
    input.series.m0!.volume = bad;
    const e = await refusal(input);
    expect(e.code).toBe('mismatched-geometry');
    const bad2: Volume = {
      ...m0,
      geometry: {
        ...m0.geometry,
        dimensions: [m0.geometry.dimensions[0] - 1, m0.geometry.dimensions[1], m0.geometry.dimensions[2]],
      },
    };
    input.series.m0!.volume = bad2;
    expect((await refusal(input)).code).toBe('mismatched-geometry');
  });

  it('unknown vendor scaling: GE ΔM series without m0Scale', async () => {
    const input = small();
    const a = input.series.asl!;
    a.dicom = { Manufacturer: 'GE MEDICAL SYSTEMS' };
    a.attachments = {
      'x_aslcontext.tsv': ['volume_type', ...Array(a.volume.frames).fill('deltam')].join('\n'),
    };
    const e = await refusal(input);
    expect(e.code).toBe('unknown-vendor-scaling');
  });

  it('unknown vendor scaling: Philips separate M0 without private scale slope', async () => {
    const input = small();
    input.series.asl!.dicom = { Manufacturer: 'Philips Medical Systems', RescaleSlope: 1.2 };
    input.series.m0!.dicom = { Manufacturer: 'Philips Medical Systems', RescaleSlope: 1.1 };
    const e = await refusal(input);
    expect(e.code).toBe('unknown-vendor-scaling');
    // with the slopes present it runs
    input.series.asl!.dicom.x2005100e = 0.02;
    input.series.m0!.dicom.x2005100e = 0.03;
    await expect(runAsl(input, await createTestContext())).resolves.toBeDefined();
  });

  it('no M0 with background suppression (mean control cannot serve as M0)', async () => {
    const input = small();
    input.series.m0 = undefined;
    input.series.asl!.sidecar!.BackgroundSuppression = true;
    input.series.asl!.sidecar!.BackgroundSuppressionNumberPulses = 4;
    const e = await refusal(input);
    expect(e.code).toBe('missing-m0');
    // without background suppression the clearly labelled fallback is used
    input.series.asl!.sidecar!.BackgroundSuppression = false;
    delete input.series.asl!.sidecar!.BackgroundSuppressionNumberPulses;
    const run = await runAsl(input, await createTestContext());
    expect(run.result.parameters!.find((p) => p.key === 'm0Source')!.value).toMatch(/FALLBACK/);
    expect(run.result.qc!.reasons.join(' ')).toMatch(/no M0/);
  });

  it('aslcontext.tsv that does not match the number of volumes', async () => {
    const input = small();
    input.series.asl!.attachments = { 'x_aslcontext.tsv': 'volume_type\ncontrol\nlabel\n' };
    expect((await refusal(input)).code).toBe('bad-aslcontext');
  });
});
