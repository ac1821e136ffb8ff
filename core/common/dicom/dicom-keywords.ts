/**
 * The standard DICOM attributes Qiview reads by keyword (a subset of PS3.6 Table 6-1, tag → VR + keyword). VRs are
 * needed for implicit-VR files, where the file does not carry them.
 *
 * @packageDocumentation
 */

const TABLE = `
00080005 CS SpecificCharacterSet
00080008 CS ImageType
00080016 UI SOPClassUID
00080018 UI SOPInstanceUID
00080020 DA StudyDate
00080021 DA SeriesDate
00080022 DA AcquisitionDate
00080023 DA ContentDate
00080030 TM StudyTime
00080031 TM SeriesTime
00080032 TM AcquisitionTime
00080033 TM ContentTime
00080050 SH AccessionNumber
00080060 CS Modality
00080070 LO Manufacturer
00080080 LO InstitutionName
00081030 LO StudyDescription
0008103E LO SeriesDescription
00081090 LO ManufacturerModelName
00089007 CS FrameType
00100010 PN PatientName
00100020 LO PatientID
00100030 DA PatientBirthDate
00100040 CS PatientSex
00101010 AS PatientAge
00101020 DS PatientSize
00101030 DS PatientWeight
00180010 LO ContrastBolusAgent
00180015 CS BodyPartExamined
00180020 CS ScanningSequence
00180021 CS SequenceVariant
00180022 CS ScanOptions
00180023 CS MRAcquisitionType
00180024 SH SequenceName
00180050 DS SliceThickness
00180060 DS KVP
00180080 DS RepetitionTime
00180081 DS EchoTime
00180082 DS InversionTime
00180083 DS NumberOfAverages
00180084 DS ImagingFrequency
00180086 IS EchoNumbers
00180087 DS MagneticFieldStrength
00180088 DS SpacingBetweenSlices
00180091 IS EchoTrainLength
00180095 DS PixelBandwidth
00181020 LO SoftwareVersions
00181030 LO ProtocolName
00181050 DS SpatialResolution
00181100 DS ReconstructionDiameter
00181110 DS DistanceSourceToDetector
00181120 DS GantryDetectorTilt
00181150 IS ExposureTime
00181151 IS XRayTubeCurrent
00181152 IS Exposure
00181160 SH FilterType
00181210 SH ConvolutionKernel
00181314 DS FlipAngle
00181316 DS SAR
00185100 CS PatientPosition
00189073 FD AcquisitionDuration
00189087 FD DiffusionBValue
0020000D UI StudyInstanceUID
0020000E UI SeriesInstanceUID
00200010 SH StudyID
00200011 IS SeriesNumber
00200012 IS AcquisitionNumber
00200013 IS InstanceNumber
00200032 DS ImagePositionPatient
00200037 DS ImageOrientationPatient
00200052 UI FrameOfReferenceUID
00200100 IS TemporalPositionIdentifier
00200105 IS NumberOfTemporalPositions
00201041 DS SliceLocation
00209056 SH StackID
00209057 UL InStackPositionNumber
00209128 UL TemporalPositionIndex
00280002 US SamplesPerPixel
00280004 CS PhotometricInterpretation
00280006 US PlanarConfiguration
00280008 IS NumberOfFrames
00280010 US Rows
00280011 US Columns
00280030 DS PixelSpacing
00280100 US BitsAllocated
00280101 US BitsStored
00280102 US HighBit
00280103 US PixelRepresentation
00281050 DS WindowCenter
00281051 DS WindowWidth
00281052 DS RescaleIntercept
00281053 DS RescaleSlope
00281054 LO RescaleType
00282110 CS LossyImageCompression
00400244 DA PerformedProcedureStepStartDate
00400245 TM PerformedProcedureStepStartTime
00089206 CS VolumetricProperties
00089207 CS VolumeBasedCalculationTechnique
00209111 SQ FrameContentSequence
00209113 SQ PlanePositionSequence
00209116 SQ PlaneOrientationSequence
00289110 SQ PixelMeasuresSequence
00289145 SQ PixelValueTransformationSequence
00209071 SQ FrameAnatomySequence
00189117 SQ MRDiffusionSequence
00189118 SQ CardiacSynchronizationSequence
00189112 SQ MRTimingAndRelatedParametersSequence
00189114 SQ MREchoSequence
00189226 SQ MRImageFrameTypeSequence
00189329 SQ CTImageFrameTypeSequence
52009229 SQ SharedFunctionalGroupsSequence
52009230 SQ PerFrameFunctionalGroupsSequence
00180010 LO ContrastBolusAgent
00181040 LO ContrastBolusRoute
00181041 DS ContrastBolusVolume
00181042 TM ContrastBolusStartTime
00181049 DS ContrastBolusIngredientConcentration
00189082 FD EffectiveEchoTime
00189005 SH PulseSequenceName
00189016 CS ScanOptions
0040A170 SQ PurposeOfReferenceCodeSequence
00081140 SQ ReferencedImageSequence
00081115 SQ ReferencedSeriesSequence
00081155 UI ReferencedSOPInstanceUID
00081150 UI ReferencedSOPClassUID
00041500 CS ReferencedFileID
00041430 CS DirectoryRecordType
00041220 SQ DirectoryRecordSequence
00041511 UI ReferencedSOPInstanceUIDInFile
00041510 UI ReferencedSOPClassUIDInFile
00041512 UI ReferencedTransferSyntaxUIDInFile
00620001 CS SegmentationType
00620002 SQ SegmentSequence
00620004 US SegmentNumber
00620005 LO SegmentLabel
`;

/** One known attribute. */
export interface KeywordEntry {
  vr: string;
  keyword: string;
}

/** dicom-parser tag ('x00080060', lower case) → VR and keyword. */
export const KEYWORDS: ReadonlyMap<string, KeywordEntry> = new Map(
  TABLE.trim()
    .split('\n')
    .map((line) => {
      const [tag, vr, keyword] = line.trim().split(/\s+/);
      return ['x' + tag.toLowerCase(), { vr, keyword }] as const;
    }),
);

/** keyword → dicom-parser tag. */
export const TAG_OF: ReadonlyMap<string, string> = new Map([...KEYWORDS].map(([t, e]) => [e.keyword, t]));
