/**
 * Options shared by the DICOM writers (SEG, SR, Parametric Map) and the common modules they write.
 *
 * @packageDocumentation
 */
import type { NaturalDataset } from './dcmjs';
import { dicomDateTime, patientStudyFrom } from './dataset-helpers';
import { newUid } from './uid';

/** One SOP instance of the source series (for references), e.g. from an `InstanceRecord`. */
export interface ReferencedInstance {
  sopClassUid: string;
  sopInstanceUid: string;
}

/** What every derived object needs besides its content. */
export interface DerivedObjectOptions {
  /** UIDs of the new object; generated when absent (pass fixed ones for idempotent batch outputs). */
  seriesInstanceUid?: string;
  sopInstanceUid?: string;
  seriesNumber?: number;
  seriesDescription?: string;
  /** Content date/time (default: now). */
  contentDate?: Date;
  /** Software that made it, e.g. `'qiview 0.1.0; plugin ct-osteo 1.2.0'`. */
  softwareVersions?: string;
  /**
   * Source series instances, indexed by slice k (for a multi-frame source, the same instance for every k).
   * Written as ReferencedInstanceSequence and as per-frame source image references.
   */
  referencedInstances?: Array<ReferencedInstance | undefined>;
}

/** Qiview's name as a manufacturer. */
export const MANUFACTURER = 'Qiview';
/** Version written in SoftwareVersions when the caller gives none. */
export const QIVIEW_VERSION = '0.1.0';

/** Patient, study, series, equipment and SOP common attributes of a derived object. */
export function commonModules(
  source: Record<string, unknown>,
  modality: string,
  sopClassUid: string,
  options: DerivedObjectOptions,
): NaturalDataset {
  const { date, time } = dicomDateTime(options.contentDate ?? new Date());
  return {
    ...patientStudyFrom(source),
    SOPClassUID: sopClassUid,
    SOPInstanceUID: options.sopInstanceUid ?? newUid(),
    SeriesInstanceUID: options.seriesInstanceUid ?? newUid(),
    Modality: modality,
    SeriesNumber: options.seriesNumber ?? 9001,
    SeriesDescription: options.seriesDescription ?? '',
    InstanceNumber: 1,
    ContentDate: date,
    ContentTime: time,
    InstanceCreationDate: date,
    InstanceCreationTime: time,
    Manufacturer: MANUFACTURER,
    ManufacturerModelName: 'Qiview',
    DeviceSerialNumber: '0',
    SoftwareVersions: options.softwareVersions ?? `qiview ${QIVIEW_VERSION}`,
    SpecificCharacterSet: 'ISO_IR 192',
  };
}

/** ReferencedSeriesSequence item for the source series. */
export function referencedSeriesItem(
  seriesUid: string,
  instances: DerivedObjectOptions['referencedInstances'],
) {
  const unique = new Map<string, ReferencedInstance>();
  for (const r of instances ?? []) if (r) unique.set(r.sopInstanceUid, r);
  const out: NaturalDataset = { SeriesInstanceUID: seriesUid };
  if (unique.size > 0) {
    out.ReferencedInstanceSequence = [...unique.values()].map((r) => ({
      ReferencedSOPClassUID: r.sopClassUid,
      ReferencedSOPInstanceUID: r.sopInstanceUid,
    }));
  }
  return out;
}
