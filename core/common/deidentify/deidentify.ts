/**
 * De-identification of DICOM datasets following DICOM PS3.15 Annex E, the Basic Application Level Confidentiality
 * Profile (see {@link BASIC_PROFILE} for the action table and its limits), on naturalized dcmjs datasets or on
 * DICOM Part 10 bytes. Pixel data is kept (burned-in text is not handled: the Clean Pixel Data option is not offered).
 *
 * @packageDocumentation
 */
import { dcmjs, readDataset, writeDataset, type NaturalDataset } from '../results/dcmjs';
import { newUid } from '../results/uid';
import {
  BASIC_PROFILE,
  DEIDENTIFICATION_CODES,
  OPTION_OVERRIDES,
  resolveAction,
  type ProfileAction,
} from './basic-profile';
import { createUidRemapper, type UidRemapper } from './uid-remapper';

/** Options of a de-identification run. */
export interface DeidentifyOptions {
  /** The run's UID map; pass the same one for every file of a run. Default: a new map per call. */
  uids?: UidRemapper;
  /** Written as PatientName and PatientID instead of empty values (a replacement, allowed by the profile). */
  pseudonym?: string;
  retainFullDates?: boolean;
  retainPatientCharacteristics?: boolean;
  retainDeviceIdentity?: boolean;
  /** Keep SR content (cleaned item by item) instead of removing ContentSequence. */
  cleanStructuredContent?: boolean;
}

/** What was done, by action class, for audit and tests. */
export interface DeidentifyReport {
  removed: string[];
  zeroed: string[];
  dummied: string[];
  uidsReplaced: number;
  privateRemoved: number;
}

const DUMMY: Record<string, string> = {
  PN: 'ANONYMIZED',
  DA: '19000101',
  TM: '000000',
  DT: '19000101000000',
  AS: '000Y',
  DS: '0',
  IS: '0',
  CS: 'ANONYMIZED',
};

function vrOf(keyword: string, ds: NaturalDataset): string | undefined {
  return (
    (ds._vrMap as Record<string, string> | undefined)?.[keyword] ??
    dcmjs.data.DicomMetaDictionary.nameMap[keyword]?.vr
  );
}

/** A naturalized key for a private attribute (odd group), e.g. `00091001`. */
function isPrivateKey(key: string): boolean {
  return /^[0-9A-Fa-f]{8}$/.test(key) && parseInt(key.slice(0, 4), 16) % 2 === 1;
}

function actionsFor(options: DeidentifyOptions): Record<string, ProfileAction> {
  const a: Record<string, ProfileAction> = { ...BASIC_PROFILE };
  if (options.retainFullDates) Object.assign(a, OPTION_OVERRIDES.retainFullDates);
  if (options.retainPatientCharacteristics) Object.assign(a, OPTION_OVERRIDES.retainPatientCharacteristics);
  if (options.retainDeviceIdentity) Object.assign(a, OPTION_OVERRIDES.retainDeviceIdentity);
  if (options.cleanStructuredContent) Object.assign(a, OPTION_OVERRIDES.cleanStructuredContent);
  return a;
}

function remapValue(v: unknown, uids: UidRemapper): unknown {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? uids.remap(x) : x));
  return typeof v === 'string' ? uids.remap(v) : v;
}

function walk(
  ds: NaturalDataset,
  actions: Record<string, ProfileAction>,
  uids: UidRemapper,
  report: DeidentifyReport,
  path: string,
): void {
  for (const key of Object.keys(ds)) {
    if (key === '_vrMap' || key === '_meta') continue;
    const where = path ? `${path}.${key}` : key;
    if (isPrivateKey(key)) {
      delete ds[key];
      report.privateRemoved++;
      continue;
    }
    const vr = vrOf(key, ds);
    const listed = actions[key];
    const action = listed ? resolveAction(listed) : vr === 'PN' ? 'Z' : 'K';
    const value = ds[key];
    const isSeq =
      vr === 'SQ' ||
      (Array.isArray(value) &&
        value.length > 0 &&
        typeof value[0] === 'object' &&
        !ArrayBuffer.isView(value[0]) &&
        !(value[0] instanceof ArrayBuffer) &&
        !('Alphabetic' in value[0]));
    const recurse = () => {
      for (const [i, item] of (Array.isArray(value) ? value : [value]).entries()) {
        if (item && typeof item === 'object')
          walk(item as NaturalDataset, actions, uids, report, `${where}[${i}]`);
      }
    };
    switch (action) {
      case 'X':
        delete ds[key];
        report.removed.push(where);
        break;
      case 'Z':
        ds[key] = isSeq ? [] : '';
        report.zeroed.push(where);
        break;
      case 'D':
        if (isSeq) recurse();
        else {
          ds[key] = DUMMY[vr ?? ''] ?? 'ANONYMIZED';
          report.dummied.push(where);
        }
        break;
      case 'U':
        if (isSeq) recurse();
        else {
          ds[key] = remapValue(value, uids);
          report.uidsReplaced += Array.isArray(value) ? value.length : 1;
        }
        break;
      case 'C':
      case 'K':
        if (isSeq) recurse();
        break;
    }
  }
}

/** The DeidentificationMethod text for a set of options. */
export function deidentificationMethod(options: DeidentifyOptions): string {
  const parts = ['Qiview: DICOM PS3.15 E.1 Basic Application Level Confidentiality Profile'];
  if (options.cleanStructuredContent) parts.push('Clean Structured Content');
  if (options.retainFullDates) parts.push('Retain Full Dates');
  if (options.retainPatientCharacteristics) parts.push('Retain Patient Characteristics');
  if (options.retainDeviceIdentity) parts.push('Retain Device Identity');
  return parts.join('; ').slice(0, 64);
}

/**
 * De-identifies a naturalized dataset in place and returns a report. Sets PatientIdentityRemoved = YES,
 * DeidentificationMethod and its code sequence (CID 7050), and LongitudinalTemporalInformationModified.
 */
export function deidentifyDataset(ds: NaturalDataset, options: DeidentifyOptions = {}): DeidentifyReport {
  const uids = options.uids ?? createUidRemapper();
  const report: DeidentifyReport = {
    removed: [],
    zeroed: [],
    dummied: [],
    uidsReplaced: 0,
    privateRemoved: 0,
  };
  walk(ds, actionsFor(options), uids, report, '');
  if (options.pseudonym !== undefined) {
    ds.PatientName = options.pseudonym;
    ds.PatientID = options.pseudonym;
  }
  ds.PatientIdentityRemoved = 'YES';
  ds.DeidentificationMethod = deidentificationMethod(options);
  ds.DeidentificationMethodCodeSequence = [
    DEIDENTIFICATION_CODES.basic,
    ...(options.cleanStructuredContent ? [DEIDENTIFICATION_CODES.cleanStructuredContent] : []),
    ...(options.retainFullDates ? [DEIDENTIFICATION_CODES.retainFullDates] : []),
    ...(options.retainPatientCharacteristics ? [DEIDENTIFICATION_CODES.retainPatientCharacteristics] : []),
    ...(options.retainDeviceIdentity ? [DEIDENTIFICATION_CODES.retainDeviceIdentity] : []),
  ].map((c) => ({ ...c }));
  ds.LongitudinalTemporalInformationModified = options.retainFullDates ? 'UNMODIFIED' : 'REMOVED';
  if (ds._meta && typeof ds._meta === 'object') {
    const meta = ds._meta as NaturalDataset;
    if (typeof meta.MediaStorageSOPInstanceUID === 'string') {
      meta.MediaStorageSOPInstanceUID = uids.remap(meta.MediaStorageSOPInstanceUID);
    }
  }
  return report;
}

/**
 * De-identifies a DICOM Part 10 file (uncompressed transfer syntaxes; the result is written Explicit VR Little
 * Endian). Throws a clear error for unreadable files or encapsulated (compressed) pixel data.
 */
export function deidentifyFile(
  bytes: Uint8Array,
  options: DeidentifyOptions = {},
): { bytes: Uint8Array; report: DeidentifyReport } {
  const ds = readDataset(bytes);
  const ts = String((ds._meta as NaturalDataset | undefined)?.TransferSyntaxUID ?? '');
  if (
    ts &&
    !['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.1.99'].includes(
      ts,
    )
  ) {
    throw new Error(`transfer syntax ${ts} (compressed pixel data) is not supported by de-identification`);
  }
  const report = deidentifyDataset(ds, options);
  delete ds._meta;
  if (typeof ds.SOPInstanceUID !== 'string' || !ds.SOPInstanceUID) ds.SOPInstanceUID = newUid();
  return { bytes: writeDataset(ds), report };
}
