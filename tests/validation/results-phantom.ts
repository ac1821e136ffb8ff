/**
 * Shared phantom for the results validation tests: a small oblique grid with two non-contiguous labels (a sphere
 * and a box), the source series' DICOM attributes, and per-slice source instances. Generated, never read from disk.
 */
import type { Direction, Geometry, Labelmap } from '@qiview/sdk';

export const PHANTOM_STUDY_UID = '1.2.826.0.1.3680043.8.498.10001';
export const PHANTOM_SERIES_UID = '1.2.826.0.1.3680043.8.498.10002';
export const PHANTOM_FOR_UID = '1.2.826.0.1.3680043.8.498.10003';

/** A 24×20×9 grid, 0.8×0.9×2.5 mm, rotated 30° about z, origin off zero. */
export function phantomGeometry(): Geometry {
  const c = Math.cos(Math.PI / 6),
    s = Math.sin(Math.PI / 6);
  return {
    dimensions: [24, 20, 9],
    spacing: [0.8, 0.9, 2.5],
    origin: [-12.5, 30.25, -101],
    direction: [c, s, 0, -s, c, 0, 0, 0, 1] as Direction,
  };
}

/** Labelmap: label 2 = sphere r=5 voxels at (8,9,4); label 7 = box i 15..20, j 3..8, k 2..5. */
export function phantomLabelmap(): Labelmap {
  const g = phantomGeometry();
  const [nx, ny, nz] = g.dimensions;
  const data = new Uint8Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const idx = i + nx * (j + ny * k);
        if ((i - 8) ** 2 + (j - 9) ** 2 + ((k - 4) * 2) ** 2 <= 25) data[idx] = 2;
        else if (i >= 15 && i <= 20 && j >= 3 && j <= 8 && k >= 2 && k <= 5) data[idx] = 7;
      }
  return {
    id: 'phantom-seg',
    name: 'Phantom segmentation',
    geometry: g,
    data,
    referencedSeriesUid: PHANTOM_SERIES_UID,
    segments: [
      {
        label: 7,
        name: 'Box (L1 vertebra)',
        color: [30, 144, 255],
        category: { value: '91723000', scheme: 'SCT', meaning: 'Anatomical Structure' },
        type: { value: '66794005', scheme: 'SCT', meaning: 'L1 vertebra' },
        algorithm: { type: 'SEMIAUTOMATIC', name: 'phantom-box' },
      },
      {
        label: 2,
        name: 'Sphere',
        color: [220, 20, 60],
        category: { value: '49755003', scheme: 'SCT', meaning: 'Morphologically Altered Structure' },
        type: { value: '108369006', scheme: 'SCT', meaning: 'Neoplasm' },
        algorithm: { type: 'AUTOMATIC', name: 'phantom-sphere' },
      },
    ],
  };
}

/** Source series attributes by keyword. */
export function phantomSource(): Record<string, unknown> {
  return {
    PatientName: 'Phantom^Results',
    PatientID: 'PH-001',
    PatientBirthDate: '19700101',
    PatientSex: 'O',
    StudyInstanceUID: PHANTOM_STUDY_UID,
    SeriesInstanceUID: PHANTOM_SERIES_UID,
    FrameOfReferenceUID: PHANTOM_FOR_UID,
    StudyDate: '20260101',
    StudyTime: '120000',
    AccessionNumber: 'ACC1',
    StudyID: '1',
    Modality: 'CT',
  };
}

/** One CT image instance per slice. */
export function phantomInstances(nz: number) {
  return Array.from({ length: nz }, (_, k) => ({
    sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    sopInstanceUid: `1.2.826.0.1.3680043.8.498.2000${k + 1}`,
  }));
}

/** Known measurements on the phantom (exact values: counts × voxel volume, plus awkward floats). */
export function phantomMeasurements(): import('@qiview/sdk').Measurement[] {
  const lm = phantomLabelmap();
  const [sx, sy, sz] = lm.geometry.spacing;
  const voxelMl = (sx * sy * sz) / 1000;
  let sphere = 0,
    box = 0;
  for (const v of lm.data) {
    if (v === 2) sphere++;
    else if (v === 7) box++;
  }
  const vol = { value: '118565006', scheme: 'SCT', meaning: 'Volume' };
  const mean = { value: '373098007', scheme: 'SCT', meaning: 'Mean' };
  return [
    {
      key: 'sphere_volume_ml',
      name: 'Sphere volume',
      value: sphere * voxelMl,
      unit: 'ml',
      concept: vol,
      region: { labelmapId: 'phantom-seg', label: 2, name: 'Sphere' },
    },
    {
      key: 'sphere_mean_hu',
      name: 'Sphere mean',
      value: 1 / 3,
      unit: 'HU',
      derivation: mean,
      uncertainty: Math.PI,
      region: { labelmapId: 'phantom-seg', label: 2, name: 'Sphere' },
    },
    {
      key: 'box_volume_ml',
      name: 'Box volume',
      value: box * voxelMl,
      unit: 'ml',
      concept: vol,
      region: { labelmapId: 'phantom-seg', label: 7, name: 'Box (L1 vertebra)' },
    },
    {
      key: 'box_bmd',
      name: '骨密度 BMD',
      value: 123456789.12345679,
      unit: 'mg/cm3',
      derivation: mean,
      region: { labelmapId: 'phantom-seg', label: 7, name: 'Box (L1 vertebra)' },
    },
    { key: 'tiny', name: 'Tiny, "quoted" value', value: -1.2345678901234567e-12, unit: '1' },
    { key: 'undefined_ratio', name: 'Undefined ratio', value: NaN, unit: '%' },
    { key: 'inf_ratio', name: 'Infinite ratio', value: -Infinity, unit: '%' },
  ];
}

/** A float map on the phantom grid: CBF-like values with a smooth gradient, negative and non-round values. */
export function phantomParametricMap(): import('@qiview/sdk').ParametricMap {
  const g = phantomGeometry();
  const [nx, ny, nz] = g.dimensions;
  const data = new Float32Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++)
        data[i + nx * (j + ny * k)] = 60 * Math.sin(i / 3) + j * 0.1234567 - k * 7.5 + 1e-3;
  return {
    id: 'cbf',
    name: 'CBF',
    quantity: { value: '113055', scheme: 'DCM', meaning: 'Regional Cerebral Blood Flow' },
    display: { colormap: 'viridis', range: [0, 80] },
    referencedSeriesUid: PHANTOM_SERIES_UID,
    volume: {
      geometry: g,
      data,
      frames: 1,
      unit: 'ml/100g/min',
      metadata: { modality: 'MR', seriesInstanceUid: 'derived' },
      warnings: [],
    },
  };
}
