/**
 * Gathers every parameter that enters the CBF computation, each with where it came from (user > sidecar >
 * header > default), and refuses — never guesses — when a quantity has no source (PLD, label duration).
 *
 * @packageDocumentation
 */
import { AnalysisError, type AnalysisInput, type ParameterProvenance } from '@qiview/sdk';
import {
  ALPHA_PASL,
  ALPHA_PCASL,
  BLOOD_T1_BY_FIELD,
  BS_ASLPREP_PER_PULSE,
  BS_EXPLOREASL,
  DEFAULT_FIELD_T,
  LAMBDA,
  TISSUE_T1_3T,
} from './constants';
import { siemensAslParameters } from './vendor/siemens';

/** Everything the quantification needs, resolved. Times in seconds. */
export interface AslParameters {
  labelingType: 'pcasl' | 'pasl';
  /** Post-labelling delay (pCASL) or inversion time TI (PASL), one per ASL volume or a single value. */
  pld: number[];
  /** Label duration τ (pCASL) or bolus duration TI1 (PASL). */
  labelDuration: number;
  alpha: number;
  /** Background-suppression efficiency multiplier on α (1 without BS). */
  bsEfficiency: number;
  bsPulses: number;
  bloodT1: number;
  tissueT1: number;
  lambda: number;
  fieldStrength: number;
  /** M0 repetition time (s) for the incomplete-recovery correction; 0 = no correction. */
  m0Tr: number;
  /** Extra multiplier applied to M0 (vendor scaling, e.g. GE NEX, user). */
  m0Scale: number;
  /** Acquisition time of each slice relative to the first (2D readouts), s; empty for 3D. */
  sliceTiming: number[];
  /** 2D or 3D readout. */
  readout: '2D' | '3D';
  backgroundSuppression: boolean;
  /** Echo times (s) of the ASL and M0 acquisitions when known. */
  teAsl?: number;
  teM0?: number;
  /** Tissue T2* (s) for the M0 TE correction; only from the user (no default is applied). */
  tissueT2star?: number;
}

/** Resolved parameters plus their provenance rows. */
export interface ResolvedParameters {
  values: AslParameters;
  provenance: ParameterProvenance[];
}

type Source = ParameterProvenance['source'];
interface Found<T> {
  value: T;
  source: Source;
  detail: string;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function numArray(v: unknown): number[] | undefined {
  if (Array.isArray(v)) {
    const a = v.map(num);
    return a.every((x) => x !== undefined) && a.length > 0 ? (a as number[]) : undefined;
  }
  const s = num(v);
  return s === undefined ? undefined : [s];
}

/** A scalar, or an array whose values are all equal (BIDS per-volume lists); undefined otherwise. */
function uniform(v: unknown): number | undefined {
  const a = numArray(v);
  if (!a) return undefined;
  return a.every((x) => Math.abs(x - a[0]!) < 1e-9) ? a[0] : undefined;
}

function first<T>(...c: Array<Found<T> | undefined>): Found<T> | undefined {
  return c.find((x) => x !== undefined);
}

function from<T>(value: T | undefined, source: Source, detail: string): Found<T> | undefined {
  return value === undefined ? undefined : { value, source, detail };
}

/** Non-null numeric defaults of manifest.json (equal to the plugin's constants; manifest.test checks they agree). */
export const MANIFEST_DEFAULTS: Readonly<Record<string, number>> = { tissueT1: TISSUE_T1_3T, lambda: LAMBDA };
/** Default background-suppression convention (manifest.json `bsConvention`). */
export const BS_CONVENTION_DEFAULT = 'exploreasl';

/** Blood T1 (s) for a field strength, nearest tabulated field. */
export function bloodT1ForField(field: number): number {
  let best = BLOOD_T1_BY_FIELD[0]!;
  for (const e of BLOOD_T1_BY_FIELD) if (Math.abs(e.field - field) < Math.abs(best.field - field)) best = e;
  return best.t1;
}

/** Background-suppression efficiency for a convention and number of pulses. */
export function bsEfficiencyFor(convention: string, pulses: number): number {
  if (pulses <= 0 || convention === 'none') return 1;
  if (convention === 'aslprep') return Math.pow(BS_ASLPREP_PER_PULSE, pulses);
  const n = Math.min(5, Math.round(pulses));
  return BS_EXPLOREASL[n] ?? BS_EXPLOREASL[5]!;
}

/**
 * Resolves all parameters of the `asl` series. Throws {@link AnalysisError} `missing-parameter` when PLD or label
 * duration has no source, `unknown-vendor-scaling` when the vendor stores values with a scaling this plugin does not
 * know (GE derived series without a known scale, Philips without its scale slope).
 */
export function resolveParameters(input: AnalysisInput): ResolvedParameters {
  const asl = input.series.asl;
  if (!asl) throw new AnalysisError('missing-input', 'No ASL series was given.');
  const user = input.parameters ?? {};
  const sc = asl.sidecar ?? {};
  const dicom = asl.dicom ?? {};
  const tags = asl.volume.metadata.tags ?? {};
  const h = (k: string): unknown => dicom[k] ?? tags[k];
  const manufacturer = String(h('Manufacturer') ?? asl.volume.metadata.manufacturer ?? '').toLowerCase();
  const siemens = manufacturer.includes('siemens') ? siemensAslParameters(dicom) : undefined;
  const prov: ParameterProvenance[] = [];
  const push = (
    key: string,
    name: string,
    f: Found<number | string | boolean | number[]>,
    unit?: string,
  ): void => {
    prov.push({ key, name, value: f.value, unit, source: f.source, detail: f.detail });
  };
  // Hosts fill every parameter the user left alone with its manifest default, so a value equal to that default
  // cannot be told from "not set": it is reported with the plugin's default provenance (same value either way).
  const userNum = (k: string): Found<number> | undefined => {
    const v = num(user[k] === null ? undefined : user[k]);
    const d = MANIFEST_DEFAULTS[k];
    return v !== undefined && d !== undefined && Math.abs(v - d) < 1e-12
      ? undefined
      : from(v, 'user', `parameter "${k}"`);
  };

  // Labelling type.
  const typeRaw = first<string>(
    typeof user.labelingType === 'string' && user.labelingType !== 'auto'
      ? { value: user.labelingType, source: 'user', detail: 'parameter "labelingType"' }
      : undefined,
    from(
      (sc.ArterialSpinLabelingType ?? sc.LabelingType) as string | undefined,
      'sidecar',
      'BIDS ArterialSpinLabelingType',
    ),
    from(siemens?.ArterialSpinLabelingType, 'header', 'Siemens CSA (sequence name)'),
    from(h('ArterialSpinLabelingContrast') as string | undefined, 'header', 'DICOM (0018,9250)'),
    { value: 'pcasl', source: 'default', detail: 'pCASL: white-paper recommended labelling (Alsop 2015)' },
  )!;
  const labelingType: 'pcasl' | 'pasl' = /pasl|fair|pulsed/i.test(typeRaw.value) ? 'pasl' : 'pcasl';
  push('labelingType', 'Labelling type', { ...typeRaw, value: labelingType });

  // PLD / TI.
  const pldF = first<number[]>(
    from(numArray(user.pld === null ? undefined : user.pld), 'user', 'parameter "pld"'),
    from(numArray(sc.PostLabelingDelay ?? sc.InversionTime), 'sidecar', 'BIDS PostLabelingDelay'),
    from(numArray(siemens?.PostLabelDelay), 'header', 'Siemens CSA sWipMemBlock (PostLabelDelay)'),
    from(numArray(h('PostLabelingDelay') ?? h('ASLPostLabelingDelay')), 'header', 'DICOM PostLabelingDelay'),
  );
  if (!pldF) {
    throw new AnalysisError(
      'missing-parameter',
      'Post-labelling delay (PLD) is not in the header or sidecar: set the "pld" parameter (seconds).',
    );
  }
  push('pld', labelingType === 'pasl' ? 'Inversion time TI' : 'Post-labelling delay', pldF, 's');

  // Label duration / TI1.
  const ldF = first<number>(
    userNum('labelDuration'),
    from(uniform(sc.LabelingDuration ?? sc.BolusCutOffDelayTime), 'sidecar', 'BIDS LabelingDuration'),
    from(siemens?.LabelingDuration, 'header', 'Siemens CSA (NumRFBlocks × RF block duration)'),
    from(num(h('LabelingDuration')), 'header', 'DICOM LabelingDuration'),
  );
  if (!ldF) {
    throw new AnalysisError(
      'missing-parameter',
      `${labelingType === 'pasl' ? 'Bolus duration TI1' : 'Label duration'} is not in the header or sidecar: set the "labelDuration" parameter (seconds).`,
    );
  }
  push('labelDuration', labelingType === 'pasl' ? 'Bolus duration TI1' : 'Label duration', ldF, 's');

  const fieldF = first<number>(
    from(num(sc.MagneticFieldStrength), 'sidecar', 'BIDS MagneticFieldStrength'),
    from(num(h('MagneticFieldStrength')), 'header', 'DICOM (0018,0087) MagneticFieldStrength'),
    { value: DEFAULT_FIELD_T, source: 'default', detail: 'assumed 3 T' },
  )!;
  push('fieldStrength', 'Field strength', fieldF, 'T');

  const alphaF = first<number>(
    userNum('labelingEfficiency'),
    from(num(sc.LabelingEfficiency), 'sidecar', 'BIDS LabelingEfficiency'),
    {
      value: labelingType === 'pasl' ? ALPHA_PASL : ALPHA_PCASL,
      source: 'default',
      detail: 'ASL white paper (Alsop 2015)',
    },
  )!;
  push('labelingEfficiency', 'Labelling efficiency α', alphaF, '1');

  const t1bF = first<number>(userNum('bloodT1'), {
    value: bloodT1ForField(fieldF.value),
    source: 'default',
    detail: `blood T1 at ${fieldF.value} T (Alsop 2015; Zhang 2013 for 7 T)`,
  })!;
  push('bloodT1', 'Blood T1', t1bF, 's');

  const t1tF = first<number>(userNum('tissueT1'), {
    value: TISSUE_T1_3T,
    source: 'default',
    detail: 'GM T1 at 3 T (white paper, 1.2-1.3 s)',
  })!;
  push('tissueT1', 'Tissue T1 (M0 TR correction)', t1tF, 's');

  const lambdaF = first<number>(userNum('lambda'), {
    value: LAMBDA,
    source: 'default',
    detail: 'brain/blood partition coefficient (Alsop 2015)',
  })!;
  push('lambda', 'Partition coefficient λ', lambdaF, 'ml/g');

  // Background suppression.
  const bsBool = sc.BackgroundSuppression;
  const bsPulsesF = first<number>(
    userNum('bsPulses'),
    from(num(sc.BackgroundSuppressionNumberPulses), 'sidecar', 'BIDS BackgroundSuppressionNumberPulses'),
    bsBool === false
      ? { value: 0, source: 'sidecar', detail: 'BIDS BackgroundSuppression false' }
      : undefined,
    from(siemens?.BackgroundSuppressionNumberPulses, 'header', 'Siemens CSA'),
    { value: 0, source: 'default', detail: 'no background suppression recorded' },
  )!;
  push('bsPulses', 'Background-suppression pulses', bsPulsesF, '1');
  const convention = typeof user.bsConvention === 'string' ? user.bsConvention : BS_CONVENTION_DEFAULT;
  const bsEff = bsEfficiencyFor(convention, bsPulsesF.value);
  push('bsEfficiency', `Background-suppression efficiency (${convention})`, {
    value: bsEff,
    source: convention !== BS_CONVENTION_DEFAULT ? 'user' : 'default',
    detail:
      convention === 'aslprep'
        ? 'ASLPrep: 0.95^N'
        : convention === 'none'
          ? 'not applied'
          : 'ExploreASL: 0.83 (2 pulses), 0.81 (4), 0.75 (5)',
  });

  // M0 TR and scale.
  const m0 = input.series.m0;
  const m0Tags = m0 ? { ...(m0.volume.metadata.tags ?? {}), ...m0.dicom } : undefined;
  const trVec = numArray(sc.RepetitionTimePreparation ?? sc.RepetitionTime);
  const m0TrF = first<number>(
    userNum('m0Tr'),
    m0?.sidecar
      ? from(
          num(m0.sidecar.RepetitionTimePreparation ?? m0.sidecar.RepetitionTime),
          'sidecar',
          'M0 sidecar RepetitionTime',
        )
      : undefined,
    m0Tags
      ? from(num(m0Tags.RepetitionTime), 'header', 'M0 DICOM (0018,0080) RepetitionTime (ms)')
      : undefined,
    trVec && trVec.length > 1
      ? from(trVec[0], 'sidecar', 'RepetitionTime of the first (M0) volume')
      : undefined,
    trVec && trVec.length === 1 ? from(trVec[0], 'sidecar', 'BIDS RepetitionTime') : undefined,
    from(num(h('RepetitionTime')), 'header', 'DICOM (0018,0080) RepetitionTime (ms)'),
    { value: 0, source: 'default', detail: 'unknown: no TR correction' },
  )!;
  // DICOM RepetitionTime is in ms.
  if (m0TrF.source === 'header' && m0TrF.value > 50) m0TrF.value = m0TrF.value / 1000;
  push('m0Tr', 'M0 repetition time', m0TrF, 's');

  const m0ScaleF = first<number>(
    userNum('m0Scale'),
    from(num(sc.M0Scale ?? sc.M0ScaleFactor), 'sidecar', 'sidecar M0 scale'),
    { value: 1, source: 'default', detail: 'no extra M0 scaling' },
  )!;
  push('m0Scale', 'M0 scale', m0ScaleF, '1');

  // Readout and slice timing.
  const acqType = String(
    sc.MRAcquisitionType ?? sc.MrAcquisitionType ?? h('MRAcquisitionType') ?? '3D',
  ).toUpperCase();
  const readout: '2D' | '3D' = acqType.startsWith('2') ? '2D' : '3D';
  push('readout', 'Readout', {
    value: readout,
    source:
      sc.MRAcquisitionType || sc.MrAcquisitionType
        ? 'sidecar'
        : h('MRAcquisitionType')
          ? 'header'
          : 'default',
    detail: 'MRAcquisitionType',
  });
  let sliceTiming: number[] = [];
  const nz = asl.volume.geometry.dimensions[2];
  const deltaUser = num(user.sliceTimingDelta === null ? undefined : user.sliceTimingDelta);
  if (deltaUser !== undefined) {
    sliceTiming = Array.from({ length: nz }, (_, z) => z * deltaUser);
    push(
      'sliceTiming',
      'Slice timing',
      { value: sliceTiming, source: 'user', detail: 'parameter "sliceTimingDelta" × slice index' },
      's',
    );
  } else if (readout === '2D') {
    const st = numArray(sc.SliceTiming) ?? siemens?.SliceTiming;
    if (st && st.length === nz) {
      sliceTiming = st;
      push(
        'sliceTiming',
        'Slice timing',
        {
          value: st,
          source: sc.SliceTiming ? 'sidecar' : 'header',
          detail: sc.SliceTiming ? 'BIDS SliceTiming' : 'Siemens CSA MosaicRefAcqTimes',
        },
        's',
      );
    }
  }

  // Echo times (BIDS in s, DICOM in ms) for the M0 TE correction.
  const teOf = (
    sidecar: Record<string, unknown> | undefined,
    d: Record<string, unknown>,
  ): number | undefined => {
    const a = num(sidecar?.EchoTime);
    if (a !== undefined) return a;
    const b = num(d.EchoTime);
    return b === undefined ? undefined : b / 1000;
  };
  const teAsl = teOf(sc, { ...tags, ...dicom });
  const teM0 = m0 ? teOf(m0.sidecar, m0Tags ?? {}) : teAsl;
  const t2s = num(user.tissueT2star === null ? undefined : user.tissueT2star);
  if (teAsl !== undefined && teM0 !== undefined && Math.abs(teAsl - teM0) > 0.001) {
    push(
      'm0TeCorrection',
      'M0 TE correction',
      t2s !== undefined
        ? {
            value: Math.exp(-(teAsl - teM0) / t2s),
            source: 'user',
            detail: `e^(−(TE_ASL ${teAsl} − TE_M0 ${teM0})/T2* ${t2s})`,
          }
        : {
            value: 'not applied: set "tissueT2star"',
            source: 'default',
            detail: `TE_ASL ${teAsl} s ≠ TE_M0 ${teM0} s`,
          },
    );
  }

  const values: AslParameters = {
    labelingType,
    pld: pldF.value,
    labelDuration: ldF.value,
    alpha: alphaF.value,
    bsEfficiency: bsEff,
    bsPulses: bsPulsesF.value,
    bloodT1: t1bF.value,
    tissueT1: t1tF.value,
    lambda: lambdaF.value,
    fieldStrength: fieldF.value,
    m0Tr: m0TrF.value,
    m0Scale: m0ScaleF.value,
    sliceTiming,
    readout,
    backgroundSuppression: bsPulsesF.value > 0 || bsBool === true,
    teAsl,
    teM0,
    tissueT2star: t2s,
  };
  return { values, provenance: prov };
}
