/**
 * Writes a {@link Labelmap} as a binary DICOM Segmentation (PS3.3 A.51): one frame per slice per segment (slices
 * where a segment is empty are left out), segment attributes with coded category/type and display colour, and a
 * reference to the source series. Written with dcmjs's DicomDict (environment-neutral).
 *
 * @packageDocumentation
 */
import type { CodedConcept, Labelmap, Segment } from '@qiview/sdk';
import { voxelToWorld } from '@qiview/sdk';
import { rgbToDicomLab } from './cielab';
import { codeItem, formatDS, formatDSs } from './dataset-helpers';
import { writeDataset, type NaturalDataset } from './dcmjs';
import { commonModules, referencedSeriesItem, type DerivedObjectOptions } from './derived-options';
import { newUid } from './uid';

/** Segmentation Storage SOP class. */
export const SEG_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.66.4';

/** Category/type written when a segment has none: SCT 85756007 "Tissue" (DICOM PS3.16 CID 7150 / CID 7151). */
export const DEFAULT_SEGMENT_CONCEPT: CodedConcept = { value: '85756007', scheme: 'SCT', meaning: 'Tissue' };

/** Options of {@link writeSeg}. */
export interface WriteSegOptions extends DerivedObjectOptions {
  /** Algorithm name/version for AUTOMATIC/SEMIAUTOMATIC segments without their own name. */
  algorithmName?: string;
  algorithmVersion?: string;
}

/** TrackingID written per segment: `<labelmap id>:<label value>` (lets the reader restore non-contiguous labels). */
export function segmentTrackingId(labelmapId: string, label: number): string {
  return `${labelmapId}:${label}`.slice(0, 64);
}

function segmentItem(
  seg: Segment,
  number: number,
  labelmapId: string,
  options: WriteSegOptions,
): NaturalDataset {
  const algorithmType = seg.algorithm?.type ?? 'AUTOMATIC';
  const out: NaturalDataset = {
    SegmentNumber: number,
    SegmentLabel: seg.name,
    SegmentAlgorithmType: algorithmType,
    SegmentedPropertyCategoryCodeSequence: [codeItem(seg.category ?? DEFAULT_SEGMENT_CONCEPT)],
    SegmentedPropertyTypeCodeSequence: [codeItem(seg.type ?? DEFAULT_SEGMENT_CONCEPT)],
    RecommendedDisplayCIELabValue: rgbToDicomLab(seg.color),
    TrackingID: segmentTrackingId(labelmapId, seg.label),
    TrackingUID: newUid(),
  };
  if (algorithmType !== 'MANUAL') {
    out.SegmentAlgorithmName = seg.algorithm?.name ?? options.algorithmName ?? 'Qiview';
  }
  return out;
}

/**
 * Encodes `labelmap` as a binary DICOM SEG. `source` holds the source series' DICOM attributes by keyword (as in
 * `InputSeries.dicom`): patient/study attributes are copied, FrameOfReferenceUID and SeriesInstanceUID referenced.
 * Throws a clear error for an inconsistent labelmap (data length, unknown labels, labels outside 1..255).
 */
export function writeSeg(
  labelmap: Labelmap,
  source: Record<string, unknown>,
  options: WriteSegOptions = {},
): Uint8Array {
  const g = labelmap.geometry;
  const [nx, ny, nz] = g.dimensions;
  const n = nx * ny;
  if (labelmap.data.length !== n * nz) {
    throw new Error(
      `labelmap ${labelmap.id}: data has ${labelmap.data.length} voxels, geometry needs ${n * nz}`,
    );
  }
  const segments = [...labelmap.segments].sort((a, b) => a.label - b.label);
  const numberOf = new Map<number, number>();
  segments.forEach((s, i) => {
    if (!Number.isInteger(s.label) || s.label < 1 || s.label > 255) {
      throw new Error(`labelmap ${labelmap.id}: segment "${s.name}" has label ${s.label}, expected 1..255`);
    }
    if (numberOf.has(s.label)) throw new Error(`labelmap ${labelmap.id}: label ${s.label} is used twice`);
    numberOf.set(s.label, i + 1);
  });
  if (segments.length === 0) throw new Error(`labelmap ${labelmap.id}: no segments to write`);

  // Which (segment, slice) pairs have voxels.
  const present = new Uint8Array((segments.length + 1) * nz);
  for (let k = 0; k < nz; k++) {
    const base = k * n;
    for (let p = 0; p < n; p++) {
      const v = labelmap.data[base + p];
      if (v === 0) continue;
      const s = numberOf.get(v);
      if (s === undefined) throw new Error(`labelmap ${labelmap.id}: voxel value ${v} has no segment`);
      present[s * nz + k] = 1;
    }
  }
  const frames: Array<{ segment: number; k: number }> = [];
  for (let s = 1; s <= segments.length; s++) {
    for (let k = 0; k < nz; k++) if (present[s * nz + k]) frames.push({ segment: s, k });
  }
  if (frames.length === 0) frames.push({ segment: 1, k: 0 }); // an all-empty labelmap still needs one frame

  // Pack the bits: frames are contiguous, LSB first (PS3.5 8.1.1, BitsAllocated 1).
  const totalBits = frames.length * n;
  const pixelBytes = new Uint8Array(Math.ceil(totalBits / 8) + (Math.ceil(totalBits / 8) % 2));
  frames.forEach(({ segment, k }, f) => {
    const label = segments[segment - 1].label;
    const base = k * n;
    let bit = f * n;
    for (let p = 0; p < n; p++, bit++) {
      if (labelmap.data[base + p] === label) pixelBytes[bit >> 3] |= 1 << (bit & 7);
    }
  });

  const sourceSeriesUid = labelmap.referencedSeriesUid ?? (source.SeriesInstanceUID as string | undefined);
  const frameOfReferenceUid = (source.FrameOfReferenceUID as string | undefined) ?? newUid();
  const refs = options.referencedInstances;
  const d = g.direction;
  const ds: NaturalDataset = {
    ...commonModules(source, 'SEG', SEG_SOP_CLASS_UID, {
      ...options,
      seriesDescription: options.seriesDescription ?? labelmap.name,
    }),
    FrameOfReferenceUID: frameOfReferenceUid,
    PositionReferenceIndicator: '',
    ImageType: ['DERIVED', 'PRIMARY'],
    ContentLabel: 'SEGMENTATION',
    ContentDescription: labelmap.name.slice(0, 64),
    ContentCreatorName: '',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: ny,
    Columns: nx,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    SegmentationType: 'BINARY',
    SegmentsOverlap: 'NO', // a labelmap holds one label per voxel
    NumberOfFrames: frames.length,
    SegmentSequence: segments.map((s, i) => segmentItem(s, i + 1, labelmap.id, options)),
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: newUid() }],
    DimensionIndexSequence: [
      {
        DimensionIndexPointer: 0x0062000b,
        FunctionalGroupPointer: 0x0062000a,
        DimensionDescriptionLabel: 'ReferencedSegmentNumber',
      },
      {
        DimensionIndexPointer: 0x00200032,
        FunctionalGroupPointer: 0x00209113,
        DimensionDescriptionLabel: 'ImagePositionPatient',
      },
    ],
    SharedFunctionalGroupsSequence: [
      {
        PlaneOrientationSequence: [{ ImageOrientationPatient: formatDSs(d.slice(0, 6)) }],
        PixelMeasuresSequence: [
          {
            PixelSpacing: formatDSs([g.spacing[1], g.spacing[0]]),
            SliceThickness: formatDS(g.spacing[2]),
            SpacingBetweenSlices: formatDS(g.spacing[2]),
          },
        ],
      },
    ],
    PerFrameFunctionalGroupsSequence: frames.map(({ segment, k }) => {
      const fg: NaturalDataset = {
        FrameContentSequence: [{ DimensionIndexValues: [segment, k + 1] }],
        PlanePositionSequence: [{ ImagePositionPatient: formatDSs(voxelToWorld(g, 0, 0, k)) }],
        SegmentIdentificationSequence: [{ ReferencedSegmentNumber: segment }],
      };
      const ref = refs?.[k];
      if (ref) {
        fg.DerivationImageSequence = [
          {
            DerivationCodeSequence: [
              { CodeValue: '113076', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Segmentation' },
            ],
            SourceImageSequence: [
              {
                ReferencedSOPClassUID: ref.sopClassUid,
                ReferencedSOPInstanceUID: ref.sopInstanceUid,
                PurposeOfReferenceCodeSequence: [
                  {
                    CodeValue: '121322',
                    CodingSchemeDesignator: 'DCM',
                    CodeMeaning: 'Source image for image processing operation',
                  },
                ],
              },
            ],
          },
        ];
      }
      return fg;
    }),
  };
  if (sourceSeriesUid) ds.ReferencedSeriesSequence = [referencedSeriesItem(sourceSeriesUid, refs)];
  return writeDataset(ds, { keyword: 'PixelData', vr: 'OB', bytes: pixelBytes });
}
