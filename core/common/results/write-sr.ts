/**
 * Writes measurements as a DICOM Comprehensive SR following TID 1500 "Measurement Report": one TID 1411-style
 * measurement group per region (tracking identifier/UID, finding, finding site, referenced segment, source series)
 * holding TID 1419-style NUM items (concept, value, UCUM unit, derivation). Whole-study measurements go into one
 * extra group. The plugin/model versions are written as TID 4019 Algorithm Identification in every group and as
 * the device observer (TID 1004) of the report.
 *
 * Values are written both as NumericValue (DS, ≤ 16 characters) and as FloatingPointValue (FD, exact), so a read
 * back with {@link readSr} returns identical numbers; NaN/±Infinity use the numeric value qualifiers (DCM 114000-2).
 *
 * @packageDocumentation
 */
import type { CodedConcept, Labelmap, Measurement } from '@qiview/sdk';
import { codeItem, formatDS } from './dataset-helpers';

export { formatDS };
import { writeDataset, type NaturalDataset } from './dcmjs';
import { commonModules, type DerivedObjectOptions } from './derived-options';
import { QIVIEW_SCHEME, SR_CODES } from './sr-codes';
import { newUid } from './uid';
import { SEG_SOP_CLASS_UID } from './write-seg';

/** Comprehensive SR Storage. */
export const COMPREHENSIVE_SR_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.88.33';

/** The algorithm (plugin) that made the measurements, with its models. */
export interface AlgorithmIdentification {
  /** Plugin id, e.g. `'ct-osteoporosis'`. */
  name: string;
  version: string;
  /** Free-text parameters, e.g. `['model vert-seg 1.0.0 sha256:ab12…', 'sdk 1.0.0']`. */
  parameters?: string[];
}

/** Options of {@link writeSr}. */
export interface WriteSrOptions extends DerivedObjectOptions {
  algorithm?: AlgorithmIdentification;
  /** Labelmaps the regions refer to (for finding / finding-site codes and the source series). */
  labelmaps?: Labelmap[];
  /** The SEG written for those labelmaps, to reference segments: labelmap id → the SEG's UIDs. */
  segInstances?: Record<string, { sopInstanceUid: string; seriesInstanceUid: string }>;
  /** Procedure reported (TID 1500 row 3); default SCT 363679005 "Imaging procedure". */
  procedure?: CodedConcept;
  /** Device observer UID (default: a new UID). */
  observerUid?: string;
}

type Rel = 'CONTAINS' | 'HAS OBS CONTEXT' | 'HAS CONCEPT MOD' | 'HAS PROPERTIES';

const text = (rel: Rel, concept: CodedConcept, value: string): NaturalDataset => ({
  RelationshipType: rel,
  ValueType: 'TEXT',
  ConceptNameCodeSequence: [codeItem(concept)],
  TextValue: value,
});
const code = (rel: Rel, concept: CodedConcept, value: CodedConcept): NaturalDataset => ({
  RelationshipType: rel,
  ValueType: 'CODE',
  ConceptNameCodeSequence: [codeItem(concept)],
  ConceptCodeSequence: [codeItem(value)],
});
const uidref = (rel: Rel, concept: CodedConcept, value: string): NaturalDataset => ({
  RelationshipType: rel,
  ValueType: 'UIDREF',
  ConceptNameCodeSequence: [codeItem(concept)],
  UID: value,
});
const container = (rel: Rel, concept: CodedConcept, children: NaturalDataset[]): NaturalDataset => ({
  RelationshipType: rel,
  ValueType: 'CONTAINER',
  ConceptNameCodeSequence: [codeItem(concept)],
  ContinuityOfContent: 'SEPARATE',
  ContentSequence: children,
});

/** The NUM concept of a measurement: its coded concept, else a Qiview private code from its key. */
export function measurementConcept(m: Measurement): CodedConcept {
  return m.concept ?? { value: m.key.slice(0, 16), scheme: QIVIEW_SCHEME, meaning: m.name.slice(0, 64) };
}

function numItem(m: Measurement): NaturalDataset {
  const unit: CodedConcept = { value: m.unit, scheme: 'UCUM', meaning: m.unit === '1' ? 'no units' : m.unit };
  const concept = measurementConcept(m);
  const item: NaturalDataset = {
    RelationshipType: 'CONTAINS',
    ValueType: 'NUM',
    ConceptNameCodeSequence: [codeItem(concept)],
  };
  if (Number.isFinite(m.value)) {
    item.MeasuredValueSequence = [
      {
        MeasurementUnitsCodeSequence: [codeItem(unit)],
        NumericValue: formatDS(m.value),
        FloatingPointValue: m.value,
      },
    ];
  } else {
    item.MeasuredValueSequence = [];
    const q = Number.isNaN(m.value)
      ? SR_CODES.notANumber
      : m.value > 0
        ? SR_CODES.positiveInfinity
        : SR_CODES.negativeInfinity;
    item.NumericValueQualifierCodeSequence = [codeItem(q)];
  }
  const children: NaturalDataset[] = [text('HAS CONCEPT MOD', SR_CODES.measurementKey, m.key)];
  if (m.name !== concept.meaning) children.push(text('HAS CONCEPT MOD', SR_CODES.measurementName, m.name));
  if (!Number.isFinite(m.value)) children.push(code('HAS CONCEPT MOD', SR_CODES.unitOfMissingValue, unit));
  if (m.derivation) children.push(code('HAS CONCEPT MOD', SR_CODES.derivation, m.derivation));
  if (m.uncertainty !== undefined && Number.isFinite(m.uncertainty)) {
    children.push({
      RelationshipType: 'HAS PROPERTIES',
      ValueType: 'NUM',
      ConceptNameCodeSequence: [codeItem(SR_CODES.uncertainty)],
      MeasuredValueSequence: [
        {
          MeasurementUnitsCodeSequence: [codeItem(unit)],
          NumericValue: formatDS(m.uncertainty),
          FloatingPointValue: m.uncertainty,
        },
      ],
    });
  }
  if (m.unit === '') throw new Error(`measurement ${m.key}: no unit (use '1' for dimensionless)`);
  item.ContentSequence = children;
  return item;
}

function algorithmItems(a: AlgorithmIdentification | undefined): NaturalDataset[] {
  if (!a) return [];
  return [
    text('HAS CONCEPT MOD', SR_CODES.algorithmName, a.name),
    text('HAS CONCEPT MOD', SR_CODES.algorithmVersion, a.version),
    ...(a.parameters ?? []).map((p) => text('HAS CONCEPT MOD', SR_CODES.algorithmParameters, p)),
  ];
}

/**
 * Encodes `measurements` as a TID 1500 Measurement Report. `source` holds the source series' DICOM attributes by
 * keyword (patient/study copied, series referenced). Throws a clear error for a measurement without key or unit.
 */
export function writeSr(
  measurements: Measurement[],
  source: Record<string, unknown>,
  options: WriteSrOptions = {},
): Uint8Array {
  const labelmaps = new Map((options.labelmaps ?? []).map((l) => [l.id, l]));
  const sourceSeriesUid = source.SeriesInstanceUID as string | undefined;
  // Group by region, in first-seen order.
  const groups = new Map<string, { region?: Measurement['region']; items: Measurement[] }>();
  for (const m of measurements) {
    if (!m.key) throw new Error(`measurement "${m.name}" has no key`);
    const id = m.region ? `${m.region.labelmapId}:${m.region.label}` : '';
    if (!groups.has(id)) groups.set(id, { region: m.region, items: [] });
    groups.get(id)!.items.push(m);
  }
  const groupItems: NaturalDataset[] = [];
  for (const [id, g] of groups) {
    const children: NaturalDataset[] = [];
    if (g.region) {
      const lm = labelmaps.get(g.region.labelmapId);
      const seg = lm?.segments.find((s) => s.label === g.region!.label);
      children.push(text('HAS OBS CONTEXT', SR_CODES.trackingIdentifier, g.region.name.slice(0, 64) || id));
      children.push(uidref('HAS OBS CONTEXT', SR_CODES.trackingUid, newUid()));
      children.push(text('HAS OBS CONTEXT', SR_CODES.region, id));
      children.push(
        code(
          'CONTAINS',
          SR_CODES.finding,
          seg?.type ?? { value: '85756007', scheme: 'SCT', meaning: 'Tissue' },
        ),
      );
      if (seg?.type && seg.category?.value === SR_CODES.anatomicalStructure.value) {
        children.push(code('HAS CONCEPT MOD', SR_CODES.findingSite, seg.type));
      }
      const segUid = options.segInstances?.[g.region.labelmapId]?.sopInstanceUid;
      if (segUid && lm) {
        const number =
          [...lm.segments].sort((a, b) => a.label - b.label).findIndex((s) => s.label === g.region!.label) +
          1;
        if (number > 0) {
          children.push({
            RelationshipType: 'CONTAINS',
            ValueType: 'IMAGE',
            ConceptNameCodeSequence: [codeItem(SR_CODES.referencedSegment)],
            ReferencedSOPSequence: [
              {
                ReferencedSOPClassUID: SEG_SOP_CLASS_UID,
                ReferencedSOPInstanceUID: segUid,
                ReferencedSegmentNumber: number,
              },
            ],
          });
        }
      }
      const srcUid = lm?.referencedSeriesUid ?? sourceSeriesUid;
      if (srcUid) children.push(uidref('CONTAINS', SR_CODES.sourceSeriesForSegmentation, srcUid));
    } else {
      children.push(text('HAS OBS CONTEXT', SR_CODES.trackingIdentifier, 'Whole study'));
      children.push(uidref('HAS OBS CONTEXT', SR_CODES.trackingUid, newUid()));
      children.push(code('CONTAINS', SR_CODES.finding, SR_CODES.globalGroup));
    }
    children.push(...algorithmItems(options.algorithm));
    children.push(...g.items.map(numItem));
    groupItems.push(container('CONTAINS', SR_CODES.measurementGroup, children));
  }

  const observer: NaturalDataset[] = [
    code('HAS OBS CONTEXT', SR_CODES.observerType, SR_CODES.device),
    uidref('HAS OBS CONTEXT', SR_CODES.deviceObserverUid, options.observerUid ?? newUid()),
    text('HAS OBS CONTEXT', SR_CODES.deviceObserverName, options.algorithm?.name ?? 'Qiview'),
    text('HAS OBS CONTEXT', SR_CODES.deviceObserverManufacturer, 'Qiview'),
  ];
  if (options.algorithm) {
    observer.push(text('HAS OBS CONTEXT', SR_CODES.deviceObserverModelName, options.algorithm.version));
  }
  const refs = [
    ...new Map(
      (options.referencedInstances ?? []).filter((r) => r).map((r) => [r!.sopInstanceUid, r!]),
    ).values(),
  ];
  const libraryImages: NaturalDataset[] = refs.map((r) => ({
    RelationshipType: 'CONTAINS',
    ValueType: 'IMAGE',
    ReferencedSOPSequence: [
      { ReferencedSOPClassUID: r.sopClassUid, ReferencedSOPInstanceUID: r.sopInstanceUid },
    ],
  }));

  const base = commonModules(source, 'SR', COMPREHENSIVE_SR_SOP_CLASS_UID, {
    ...options,
    seriesDescription: options.seriesDescription ?? 'Measurement report',
  });
  const evidence: NaturalDataset[] = [];
  const evidenceSeries: NaturalDataset[] = [];
  if (sourceSeriesUid && refs.length > 0) {
    evidenceSeries.push({
      SeriesInstanceUID: sourceSeriesUid,
      ReferencedSOPSequence: refs.map((r) => ({
        ReferencedSOPClassUID: r.sopClassUid,
        ReferencedSOPInstanceUID: r.sopInstanceUid,
      })),
    });
  }
  for (const seg of Object.values(options.segInstances ?? {})) {
    evidenceSeries.push({
      SeriesInstanceUID: seg.seriesInstanceUid,
      ReferencedSOPSequence: [
        { ReferencedSOPClassUID: SEG_SOP_CLASS_UID, ReferencedSOPInstanceUID: seg.sopInstanceUid },
      ],
    });
  }
  if (evidenceSeries.length > 0) {
    evidence.push({ StudyInstanceUID: base.StudyInstanceUID, ReferencedSeriesSequence: evidenceSeries });
  }
  const ds: NaturalDataset = {
    ...base,
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [codeItem(SR_CODES.imagingMeasurementReport)],
    ContinuityOfContent: 'SEPARATE',
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    ReferencedPerformedProcedureStepSequence: [],
    PerformedProcedureCodeSequence: [],
    ContentSequence: [
      code('HAS CONCEPT MOD', SR_CODES.languageOfContent, SR_CODES.english),
      ...observer,
      code('HAS CONCEPT MOD', SR_CODES.procedureReported, options.procedure ?? SR_CODES.imagingProcedure),
      container('CONTAINS', SR_CODES.imageLibrary, [
        container('CONTAINS', SR_CODES.imageLibraryGroup, libraryImages),
      ]),
      container('CONTAINS', SR_CODES.imagingMeasurements, groupItems),
    ],
  };
  if (evidence.length > 0) ds.CurrentRequestedProcedureEvidenceSequence = evidence;
  return writeDataset(ds);
}
