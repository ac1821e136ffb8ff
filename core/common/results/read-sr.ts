/**
 * Reads a TID 1500 Measurement Report (as written by {@link writeSr}, or by other tools such as dcmqi) back into
 * {@link Measurement}s, plus the algorithm identification and tracking identifiers.
 *
 * @packageDocumentation
 */
import type { CodedConcept, Measurement } from '@qiview/sdk';
import { conceptOf, item, items, num, str } from './dataset-helpers';
import { readDataset, type NaturalDataset } from './dcmjs';
import type { AlgorithmIdentification } from './write-sr';
import { QIVIEW_SCHEME, SR_CODES } from './sr-codes';

/** What {@link readSr} returns. */
export interface MeasurementReport {
  measurements: Measurement[];
  /** Algorithm identification of the first group that has one. */
  algorithm?: AlgorithmIdentification;
  /** Device observer name (TID 1004), when present. */
  observerName?: string;
  /** Tracking UIDs by region id (`labelmapId:label`) or tracking identifier. */
  trackingUids: Record<string, string>;
  /** SOP/series UIDs of the report. */
  sopInstanceUid: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
}

const is = (c: CodedConcept | undefined, ref: CodedConcept) =>
  !!c && c.value === ref.value && c.scheme === ref.scheme;
const nameOf = (it: NaturalDataset) => conceptOf(it.ConceptNameCodeSequence);

function numericValue(it: NaturalDataset): { value: number; unit: string } {
  const mv = item(it.MeasuredValueSequence);
  if (!mv) {
    const q = conceptOf(it.NumericValueQualifierCodeSequence);
    const value = is(q, SR_CODES.positiveInfinity)
      ? Infinity
      : is(q, SR_CODES.negativeInfinity)
        ? -Infinity
        : NaN;
    return { value, unit: '1' };
  }
  const fp = num(mv.FloatingPointValue);
  const value = fp ?? num(mv.NumericValue) ?? NaN;
  const unit = conceptOf(mv.MeasurementUnitsCodeSequence)?.value ?? '1';
  return { value, unit };
}

function parseRegion(id: string | undefined, name: string): Measurement['region'] | undefined {
  const m = id ? /^(.*):(\d{1,3})$/.exec(id) : null;
  return m ? { labelmapId: m[1], label: Number(m[2]), name } : undefined;
}

/** Converts a parsed TID 1500 dataset into measurements. See {@link readSr}. */
export function srDatasetToReport(ds: NaturalDataset): MeasurementReport {
  if (str(ds.Modality) !== 'SR')
    throw new Error(`not a DICOM SR (Modality ${str(ds.Modality) ?? 'missing'})`);
  if (!is(conceptOf(ds.ConceptNameCodeSequence), SR_CODES.imagingMeasurementReport)) {
    throw new Error('SR is not a TID 1500 Imaging Measurement Report');
  }
  const root = items(ds.ContentSequence);
  const report: MeasurementReport = {
    measurements: [],
    trackingUids: {},
    sopInstanceUid: str(ds.SOPInstanceUID) ?? '',
    seriesInstanceUid: str(ds.SeriesInstanceUID) ?? '',
    studyInstanceUid: str(ds.StudyInstanceUID) ?? '',
  };
  for (const it of root)
    if (is(nameOf(it), SR_CODES.deviceObserverName)) report.observerName = str(it.TextValue);
  const measurementsContainer = root.find((it) => is(nameOf(it), SR_CODES.imagingMeasurements));
  for (const group of items(measurementsContainer?.ContentSequence)) {
    if (!is(nameOf(group), SR_CODES.measurementGroup)) continue;
    const children = items(group.ContentSequence);
    const textOf = (c: CodedConcept) => str(children.find((x) => is(nameOf(x), c))?.TextValue);
    const tracking = textOf(SR_CODES.trackingIdentifier) ?? '';
    const regionId = textOf(SR_CODES.region);
    const trackingUid = str(children.find((x) => is(nameOf(x), SR_CODES.trackingUid))?.UID);
    if (trackingUid) report.trackingUids[regionId ?? tracking] = trackingUid;
    const region = parseRegion(regionId, tracking);
    const algName = textOf(SR_CODES.algorithmName);
    if (algName && !report.algorithm) {
      const params = children
        .filter((x) => is(nameOf(x), SR_CODES.algorithmParameters))
        .map((x) => str(x.TextValue) ?? '');
      report.algorithm = { name: algName, version: textOf(SR_CODES.algorithmVersion) ?? '' };
      if (params.length > 0) report.algorithm.parameters = params;
    }
    for (const n of children) {
      if (str(n.ValueType) !== 'NUM') continue;
      const concept = nameOf(n);
      if (!concept) continue;
      const mods = items(n.ContentSequence);
      const { value, unit: measuredUnit } = numericValue(n);
      const unitMod = conceptOf(
        mods.find((x) => is(nameOf(x), SR_CODES.unitOfMissingValue))?.ConceptCodeSequence,
      );
      const unit = unitMod?.value ?? measuredUnit;
      const modText = (c: CodedConcept) => str(mods.find((x) => is(nameOf(x), c))?.TextValue);
      const m: Measurement = {
        key: modText(SR_CODES.measurementKey) ?? concept.value,
        name: modText(SR_CODES.measurementName) ?? concept.meaning,
        value,
        unit,
      };
      if (concept.scheme !== QIVIEW_SCHEME) m.concept = concept;
      if (region) m.region = region;
      const derivation = conceptOf(mods.find((x) => is(nameOf(x), SR_CODES.derivation))?.ConceptCodeSequence);
      if (derivation) m.derivation = derivation;
      const unc = mods.find((x) => is(nameOf(x), SR_CODES.uncertainty));
      if (unc) m.uncertainty = numericValue(unc).value;
      report.measurements.push(m);
    }
  }
  return report;
}

/** Reads DICOM SR bytes (TID 1500) into measurements. Throws a clear error for non-SR or other templates. */
export function readSr(bytes: Uint8Array | ArrayBuffer): MeasurementReport {
  return srDatasetToReport(readDataset(bytes));
}
