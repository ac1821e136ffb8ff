/**
 * DICOM PS3.15 Annex E, Table E.1-1 "Application Level Confidentiality Profile Attributes": the Basic Profile
 * action per attribute (keyword), for the attributes Qiview handles explicitly. Action codes as in E.3.1:
 * D dummy, Z zero-length, X remove, K keep, C clean, U replace UID (consistently); combinations (`Z/D`, `X/Z`,
 * `X/D`, `X/Z/D`, `X/Z/U*`) are resolved by {@link resolveAction}. Option columns used: Retain Longitudinal Temporal
 * Information with Full Dates (113106), Retain Patient Characteristics (113108), Retain Device Identity (113109),
 * Clean Structured Content (113104).
 *
 * Any attribute not listed here is kept, except private attributes (removed) and Person Name (PN) attributes
 * (zeroed; a Qiview hardening beyond the table, so names in attributes the table does not list cannot leak).
 *
 * @packageDocumentation
 */

/** An action code of Table E.1-1. */
export type ProfileAction = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U' | 'Z/D' | 'X/Z' | 'X/D' | 'X/Z/D' | 'X/Z/U*';

/** Basic Profile actions by keyword. */
export const BASIC_PROFILE: Record<string, ProfileAction> = {
  // UIDs (U): remapped consistently so references between objects stay valid.
  SOPInstanceUID: 'U',
  StudyInstanceUID: 'U',
  SeriesInstanceUID: 'U',
  FrameOfReferenceUID: 'U',
  SynchronizationFrameOfReferenceUID: 'U',
  ReferencedSOPInstanceUID: 'U',
  ReferencedFrameOfReferenceUID: 'U',
  RelatedFrameOfReferenceUID: 'U',
  InstanceCreatorUID: 'U',
  FailedSOPInstanceUIDList: 'U',
  ConcatenationUID: 'U',
  DimensionOrganizationUID: 'U',
  IrradiationEventUID: 'U',
  DeviceUID: 'U',
  UID: 'U',
  ObservationUID: 'U',
  TrackingUID: 'U',
  StorageMediaFileSetUID: 'U',
  ReferencedSOPInstanceUIDInFile: 'U',
  MediaStorageSOPInstanceUID: 'U',
  DoseReferenceUID: 'U',
  PaletteColorLookupTableUID: 'U',
  LargePaletteColorLookupTableUID: 'U',
  TemplateExtensionOrganizationUID: 'U',
  TemplateExtensionCreatorUID: 'U',
  TransactionUID: 'U',
  TargetUID: 'U',
  ReferencedImageSequence: 'X/Z/U*',
  SourceImageSequence: 'X/Z/U*',
  // Patient.
  PatientName: 'Z',
  PatientID: 'Z',
  PatientBirthDate: 'Z',
  PatientSex: 'Z',
  IssuerOfPatientID: 'X',
  PatientBirthTime: 'X',
  OtherPatientIDs: 'X',
  OtherPatientNames: 'X',
  OtherPatientIDsSequence: 'X',
  PatientBirthName: 'X',
  PatientAge: 'X',
  PatientSize: 'X',
  PatientWeight: 'X',
  PatientAddress: 'X',
  PatientMotherBirthName: 'X',
  MedicalRecordLocator: 'X',
  PatientTelephoneNumbers: 'X',
  PatientTelecomInformation: 'X',
  EthnicGroup: 'X',
  Occupation: 'X',
  AdditionalPatientHistory: 'X',
  PatientReligiousPreference: 'X',
  PatientComments: 'X',
  MedicalAlerts: 'X',
  Allergies: 'X',
  CountryOfResidence: 'X',
  RegionOfResidence: 'X',
  PatientInsurancePlanCodeSequence: 'X',
  MilitaryRank: 'X',
  BranchOfService: 'X',
  SmokingStatus: 'X',
  PregnancyStatus: 'X',
  LastMenstrualDate: 'X',
  PatientSexNeutered: 'X/Z',
  ResponsiblePerson: 'X',
  ResponsibleOrganization: 'X',
  PatientState: 'X',
  // Study / visit / request.
  StudyDate: 'Z',
  StudyTime: 'Z',
  AccessionNumber: 'Z',
  StudyID: 'Z',
  ReferringPhysicianName: 'Z',
  ReferringPhysicianAddress: 'X',
  ReferringPhysicianTelephoneNumbers: 'X',
  ReferringPhysicianIdentificationSequence: 'X',
  StudyDescription: 'X',
  PhysiciansOfRecord: 'X',
  PhysiciansOfRecordIdentificationSequence: 'X',
  NameOfPhysiciansReadingStudy: 'X',
  PhysiciansReadingStudyIdentificationSequence: 'X',
  AdmittingDiagnosesDescription: 'X',
  AdmittingDiagnosesCodeSequence: 'X',
  ReferencedStudySequence: 'X/Z',
  ReferencedPatientSequence: 'X',
  StudyIDIssuer: 'X',
  StudyComments: 'X',
  RequestingPhysician: 'X',
  RequestingService: 'X',
  RequestedProcedureDescription: 'X/Z',
  RequestedContrastAgent: 'X',
  RequestedProcedureID: 'X',
  RequestedProcedureComments: 'X',
  RequestAttributesSequence: 'X',
  PlacerOrderNumberImagingServiceRequest: 'Z',
  FillerOrderNumberImagingServiceRequest: 'Z',
  ImagingServiceRequestComments: 'X',
  NamesOfIntendedRecipientsOfResults: 'X',
  AdmissionID: 'X',
  CurrentPatientLocation: 'X',
  PatientInstitutionResidence: 'X',
  VisitComments: 'X',
  ScheduledPerformingPhysicianName: 'X',
  ScheduledProcedureStepDescription: 'X',
  ScheduledProcedureStepID: 'X',
  PerformedStationAETitle: 'X',
  PerformedStationName: 'X',
  PerformedLocation: 'X',
  PerformedProcedureStepStartDate: 'X',
  PerformedProcedureStepStartTime: 'X',
  PerformedProcedureStepEndDate: 'X',
  PerformedProcedureStepEndTime: 'X',
  PerformedProcedureStepID: 'X',
  PerformedProcedureStepDescription: 'X',
  CommentsOnThePerformedProcedureStep: 'X',
  ReferencedPerformedProcedureStepSequence: 'X/Z/D',
  // Series / equipment / acquisition.
  SeriesDescription: 'X',
  SeriesDate: 'X/D',
  SeriesTime: 'X/D',
  AcquisitionDate: 'X/Z',
  AcquisitionTime: 'X/Z',
  AcquisitionDateTime: 'X/Z/D',
  ContentDate: 'Z/D',
  ContentTime: 'Z/D',
  InstanceCreationDate: 'X/D',
  InstanceCreationTime: 'X/Z/D',
  TimezoneOffsetFromUTC: 'X',
  InstitutionName: 'X/Z/D',
  InstitutionAddress: 'X',
  InstitutionCodeSequence: 'X/Z/D',
  InstitutionalDepartmentName: 'X',
  StationName: 'X/Z/D',
  OperatorsName: 'X/Z/D',
  OperatorIdentificationSequence: 'X',
  PerformingPhysicianName: 'X',
  PerformingPhysicianIdentificationSequence: 'X',
  DeviceSerialNumber: 'X/Z/D',
  DetectorID: 'X/D',
  PlateID: 'X',
  GeneratorID: 'X',
  CassetteID: 'X',
  GantryID: 'X',
  DateOfLastCalibration: 'X',
  TimeOfLastCalibration: 'X',
  ProtocolName: 'X/D',
  AcquisitionDeviceProcessingDescription: 'X/D',
  AcquisitionComments: 'X',
  AcquisitionProtocolDescription: 'X',
  ContributionDescription: 'X',
  ContrastBolusAgent: 'Z/D',
  DerivationDescription: 'X',
  IdentifyingComments: 'X',
  ImageComments: 'X',
  FrameComments: 'X',
  ImagePresentationComments: 'X',
  // Structured reports / content.
  ContentSequence: 'X',
  PersonName: 'X',
  VerifyingObserverName: 'D',
  VerifyingObserverSequence: 'D',
  VerifyingObserverIdentificationCodeSequence: 'Z',
  VerifyingOrganization: 'X',
  AuthorObserverSequence: 'X',
  ParticipantSequence: 'X',
  CustodialOrganizationSequence: 'X',
  ContentCreatorName: 'Z',
  ContentCreatorIdentificationCodeSequence: 'X',
  PersonAddress: 'X',
  PersonTelephoneNumbers: 'X',
};

/** Option-column overrides: with the option, these keywords get the given action instead. */
export const OPTION_OVERRIDES = {
  /** Retain Longitudinal Temporal Information with Full Dates Option (113106). */
  retainFullDates: Object.fromEntries(
    [
      'StudyDate',
      'StudyTime',
      'SeriesDate',
      'SeriesTime',
      'AcquisitionDate',
      'AcquisitionTime',
      'AcquisitionDateTime',
      'ContentDate',
      'ContentTime',
      'InstanceCreationDate',
      'InstanceCreationTime',
      'PerformedProcedureStepStartDate',
      'PerformedProcedureStepStartTime',
      'PerformedProcedureStepEndDate',
      'PerformedProcedureStepEndTime',
      'TimezoneOffsetFromUTC',
    ].map((k) => [k, 'K' as ProfileAction]),
  ),
  /** Retain Patient Characteristics Option (113108). */
  retainPatientCharacteristics: Object.fromEntries(
    [
      'PatientSex',
      'PatientAge',
      'PatientSize',
      'PatientWeight',
      'EthnicGroup',
      'SmokingStatus',
      'PregnancyStatus',
      'PatientSexNeutered',
    ].map((k) => [k, 'K' as ProfileAction]),
  ),
  /** Retain Device Identity Option (113109). */
  retainDeviceIdentity: Object.fromEntries(
    [
      'DeviceSerialNumber',
      'DetectorID',
      'PlateID',
      'GeneratorID',
      'CassetteID',
      'GantryID',
      'StationName',
      'DeviceUID',
    ].map((k) => [k, 'K' as ProfileAction]),
  ),
  /** Clean Structured Content Option (113104): SR content is kept and de-identified item by item. */
  cleanStructuredContent: { ContentSequence: 'C' as ProfileAction },
} satisfies Record<string, Record<string, ProfileAction>>;

/** Codes of CID 7050 "De-identification Method" for the profile and its options (PS3.16). */
export const DEIDENTIFICATION_CODES = {
  basic: {
    CodeValue: '113100',
    CodingSchemeDesignator: 'DCM',
    CodeMeaning: 'Basic Application Confidentiality Profile',
  },
  cleanStructuredContent: {
    CodeValue: '113104',
    CodingSchemeDesignator: 'DCM',
    CodeMeaning: 'Clean Structured Content Option',
  },
  retainFullDates: {
    CodeValue: '113106',
    CodingSchemeDesignator: 'DCM',
    CodeMeaning: 'Retain Longitudinal Temporal Information Full Dates Option',
  },
  retainPatientCharacteristics: {
    CodeValue: '113108',
    CodingSchemeDesignator: 'DCM',
    CodeMeaning: 'Retain Patient Characteristics Option',
  },
  retainDeviceIdentity: {
    CodeValue: '113109',
    CodingSchemeDesignator: 'DCM',
    CodeMeaning: 'Retain Device Identity Option',
  },
} as const;

/**
 * The single action to apply for a combined code. Without per-IOD attribute types, a combination containing D
 * resolves to D (a dummy value is always conformant, and carries no information), `X/Z` to Z, `X/Z/U*` to U
 * (UIDs inside the sequence are remapped, the rest of each item is de-identified).
 */
export function resolveAction(a: ProfileAction): 'D' | 'Z' | 'X' | 'K' | 'C' | 'U' {
  switch (a) {
    case 'Z/D':
    case 'X/D':
    case 'X/Z/D':
      return 'D';
    case 'X/Z':
      return 'Z';
    case 'X/Z/U*':
      return 'U';
    default:
      return a;
  }
}
