/**
 * Writes a {@link ParametricMap} (float voxels, e.g. CBF in ml/100g/min) as a DICOM Parametric Map (PS3.3 A.75):
 * 32-bit FloatPixelData, one frame per slice, a Real World Value Mapping carrying the UCUM unit and the quantity,
 * and the display window (with the colour map name in its explanation).
 *
 * @packageDocumentation
 */
import type { ParametricMap } from '@qiview/sdk';
import { voxelToWorld } from '@qiview/sdk';
import { codeItem, formatDS, formatDSs } from './dataset-helpers';
import { writeDataset, type NaturalDataset } from './dcmjs';
import { commonModules, referencedSeriesItem, type DerivedObjectOptions } from './derived-options';
import { newUid } from './uid';

/** Parametric Map Storage. */
export const PARAMETRIC_MAP_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.30';

/** Concept name of the quantity definition item: SCT 246205007 "Quantity" (PS3.16 TID 1419 / CID 7180 usage). */
export const QUANTITY_CONCEPT = { value: '246205007', scheme: 'SCT', meaning: 'Quantity' };

/** Prefix of WindowCenterWidthExplanation carrying the Qiview colour map name. */
export const COLORMAP_PREFIX = 'qiview-colormap:';

/**
 * Encodes `map` as a DICOM Parametric Map. `source` holds the source series' DICOM attributes by keyword.
 * Throws a clear error for 4D maps, a data length that does not fit the geometry, or a missing unit.
 */
export function writeParametricMap(
  map: ParametricMap,
  source: Record<string, unknown>,
  options: DerivedObjectOptions = {},
): Uint8Array {
  const v = map.volume;
  const g = v.geometry;
  const [nx, ny, nz] = g.dimensions;
  if (v.frames !== 1)
    throw new Error(`parametric map ${map.id}: ${v.frames} frames; only 3D maps can be written`);
  if (!(v.data instanceof Float32Array) || v.data.length !== nx * ny * nz) {
    throw new Error(`parametric map ${map.id}: expected Float32Array of ${nx * ny * nz} voxels`);
  }
  if (!v.unit) throw new Error(`parametric map ${map.id}: no unit`);
  let min = Infinity,
    max = -Infinity;
  const values = v.data as Float32Array;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (!(min <= max)) min = max = 0; // all NaN
  const d = g.direction;
  const unit = { value: v.unit, scheme: 'UCUM', meaning: v.unit === '1' ? 'no units' : v.unit };
  const rwvm: NaturalDataset = {
    RealWorldValueFirstValueMapped: 0,
    RealWorldValueLastValueMapped: 0,
    DoubleFloatRealWorldValueFirstValueMapped: min,
    DoubleFloatRealWorldValueLastValueMapped: max,
    RealWorldValueIntercept: 0,
    RealWorldValueSlope: 1,
    LUTExplanation: (map.quantity?.meaning ?? map.name).slice(0, 64),
    LUTLabel: map.id.slice(0, 16),
    MeasurementUnitsCodeSequence: [codeItem(unit)],
    _vrMap: { RealWorldValueFirstValueMapped: 'US', RealWorldValueLastValueMapped: 'US' },
  };
  if (map.quantity) {
    rwvm.QuantityDefinitionSequence = [
      {
        ValueType: 'CODE',
        ConceptNameCodeSequence: [codeItem(QUANTITY_CONCEPT)],
        ConceptCodeSequence: [codeItem(map.quantity)],
      },
    ];
  }
  const shared: NaturalDataset = {
    PlaneOrientationSequence: [{ ImageOrientationPatient: formatDSs(d.slice(0, 6)) }],
    PixelMeasuresSequence: [
      {
        PixelSpacing: formatDSs([g.spacing[1], g.spacing[0]]),
        SliceThickness: formatDS(g.spacing[2]),
        SpacingBetweenSlices: formatDS(g.spacing[2]),
      },
    ],
    RealWorldValueMappingSequence: [rwvm],
    FrameAnatomySequence: [
      {
        AnatomicRegionSequence: [
          { CodeValue: '38266002', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Entire body' },
        ],
        FrameLaterality: 'U',
      },
    ],
    PixelValueTransformationSequence: [{ RescaleIntercept: '0', RescaleSlope: '1', RescaleType: 'US' }],
  };
  if (map.display) {
    const [lo, hi] = map.display.range;
    shared.FrameVOILUTSequence = [
      {
        WindowCenter: formatDS((lo + hi) / 2),
        WindowWidth: formatDS(Math.max(hi - lo, 1e-6)),
        WindowCenterWidthExplanation: `${COLORMAP_PREFIX}${map.display.colormap}`,
      },
    ];
  }
  const refs = options.referencedInstances;
  const sourceSeriesUid = map.referencedSeriesUid ?? (source.SeriesInstanceUID as string | undefined);
  const ds: NaturalDataset = {
    ...commonModules(source, (source.Modality as string | undefined) ?? 'OT', PARAMETRIC_MAP_SOP_CLASS_UID, {
      ...options,
      seriesDescription: options.seriesDescription ?? map.name,
    }),
    FrameOfReferenceUID: (source.FrameOfReferenceUID as string | undefined) ?? newUid(),
    PositionReferenceIndicator: '',
    ImageType: ['DERIVED', 'PRIMARY'],
    ContentLabel: 'PARAMETRIC_MAP',
    ContentDescription: map.name.slice(0, 64),
    ContentCreatorName: '',
    PixelPresentation: 'MONOCHROME',
    VolumetricProperties: 'VOLUME',
    VolumeBasedCalculationTechnique: 'NONE',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: ny,
    Columns: nx,
    BitsAllocated: 32,
    NumberOfFrames: nz,
    LossyImageCompression: '00',
    BurnedInAnnotation: 'NO',
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: newUid() }],
    DimensionIndexSequence: [
      {
        DimensionIndexPointer: 0x00200032,
        FunctionalGroupPointer: 0x00209113,
        DimensionDescriptionLabel: 'ImagePositionPatient',
      },
    ],
    SharedFunctionalGroupsSequence: [shared],
    PerFrameFunctionalGroupsSequence: Array.from({ length: nz }, (_, k) => {
      const fg: NaturalDataset = {
        FrameContentSequence: [{ DimensionIndexValues: [k + 1] }],
        PlanePositionSequence: [{ ImagePositionPatient: formatDSs(voxelToWorld(g, 0, 0, k)) }],
      };
      const ref = refs?.[k];
      if (ref) {
        fg.DerivationImageSequence = [
          {
            SourceImageSequence: [
              { ReferencedSOPClassUID: ref.sopClassUid, ReferencedSOPInstanceUID: ref.sopInstanceUid },
            ],
            DerivationCodeSequence: [
              { CodeValue: '110001', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Image Processing' },
            ],
          },
        ];
      }
      return fg;
    }),
  };
  if (sourceSeriesUid) ds.ReferencedSeriesSequence = [referencedSeriesItem(sourceSeriesUid, refs)];
  const f32 = v.data as Float32Array;
  return writeDataset(ds, {
    keyword: 'FloatPixelData',
    vr: 'OF',
    bytes: new Uint8Array(f32.buffer, f32.byteOffset, f32.byteLength),
  });
}
