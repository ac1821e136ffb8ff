/** DICOM PS3.15 Annex E Basic Application Level Confidentiality Profile for outputs leaving the hospital. */
export {
  deidentifyDataset,
  deidentifyFile,
  deidentificationMethod,
  type DeidentifyOptions,
  type DeidentifyReport,
} from './deidentify';
export { createUidRemapper, type UidRemapper } from './uid-remapper';
export {
  BASIC_PROFILE,
  OPTION_OVERRIDES,
  DEIDENTIFICATION_CODES,
  resolveAction,
  type ProfileAction,
} from './basic-profile';
