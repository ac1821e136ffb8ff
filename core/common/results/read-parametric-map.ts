/**
 * Reads a DICOM Parametric Map (float, double or integer pixel data with a Real World Value Mapping) back into a
 * {@link ParametricMap}, on the source geometry when given, else on a grid rebuilt from the frames.
 *
 * @packageDocumentation
 */
import type { ColormapName, Geometry, ParametricMap } from './parametric-map-types';
import { conceptOf, item, items, num, str } from './dataset-helpers';
import { readDataset, type NaturalDataset } from './dcmjs';
import { framePlanes, geometryFromPlanes, sliceIndices } from './geometry-from-frames';
import { pixelBytes } from './read-seg';
import { COLORMAP_PREFIX, PARAMETRIC_MAP_SOP_CLASS_UID } from './write-parametric-map';

const COLORMAPS: ColormapName[] = ['hot', 'jet', 'viridis', 'gray', 'cool-warm'];

/** Converts a parsed Parametric Map dataset. See {@link readParametricMap}. */
export function parametricMapDatasetToMap(ds: NaturalDataset, geometry?: Geometry): ParametricMap {
  if (str(ds.SOPClassUID) !== PARAMETRIC_MAP_SOP_CLASS_UID) {
    throw new Error(`not a DICOM Parametric Map (SOPClassUID ${str(ds.SOPClassUID) ?? 'missing'})`);
  }
  const rows = num(ds.Rows) ?? 0;
  const columns = num(ds.Columns) ?? 0;
  if (!(rows > 0 && columns > 0)) throw new Error('Parametric Map has no Rows/Columns');
  const planes = framePlanes(ds);
  const g = geometry ?? geometryFromPlanes(planes, rows, columns);
  const ks = sliceIndices(planes, g, rows, columns);
  const n = rows * columns;
  const shared = item(ds.SharedFunctionalGroupsSequence) ?? {};
  const perFrame = items(ds.PerFrameFunctionalGroupsSequence);

  let frameValues: (f: number) => ArrayLike<number>;
  if (ds.FloatPixelData !== undefined) {
    const b = pixelBytes(ds.FloatPixelData);
    const f32 = new Float32Array(
      b.buffer.slice(b.byteOffset, b.byteOffset + Math.floor(b.byteLength / 4) * 4),
    );
    if (f32.length < planes.length * n) throw new Error('FloatPixelData is shorter than the frames need');
    frameValues = (f) => f32.subarray(f * n, (f + 1) * n);
  } else if (ds.DoubleFloatPixelData !== undefined) {
    const b = pixelBytes(ds.DoubleFloatPixelData);
    const f64 = new Float64Array(
      b.buffer.slice(b.byteOffset, b.byteOffset + Math.floor(b.byteLength / 8) * 8),
    );
    if (f64.length < planes.length * n)
      throw new Error('DoubleFloatPixelData is shorter than the frames need');
    frameValues = (f) => f64.subarray(f * n, (f + 1) * n);
  } else if (ds.PixelData !== undefined) {
    const b = pixelBytes(ds.PixelData);
    const bits = num(ds.BitsAllocated);
    const signed = num(ds.PixelRepresentation) === 1;
    const buf = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    const arr = bits === 16 ? (signed ? new Int16Array(buf) : new Uint16Array(buf)) : null;
    if (!arr || arr.length < planes.length * n)
      throw new Error(`unsupported integer Parametric Map (BitsAllocated ${bits})`);
    frameValues = (f) => arr.subarray(f * n, (f + 1) * n);
  } else {
    throw new Error('Parametric Map has no pixel data');
  }

  const [nx, ny, nz] = g.dimensions;
  const data = new Float32Array(nx * ny * nz);
  let unit = '1';
  let quantity: ParametricMap['quantity'];
  planes.forEach((_, f) => {
    const rwvm =
      item(perFrame[f]?.RealWorldValueMappingSequence) ?? item(shared.RealWorldValueMappingSequence);
    const slope = num(rwvm?.RealWorldValueSlope) ?? 1;
    const intercept = num(rwvm?.RealWorldValueIntercept) ?? 0;
    if (f === 0 && rwvm) {
      unit = conceptOf(rwvm.MeasurementUnitsCodeSequence)?.value ?? '1';
      const q = items(rwvm.QuantityDefinitionSequence).find(
        (x) => conceptOf(x.ConceptNameCodeSequence)?.value === '246205007',
      );
      quantity = conceptOf(q?.ConceptCodeSequence);
    }
    const src = frameValues(f);
    const base = ks[f] * n;
    if (slope === 1 && intercept === 0) for (let p = 0; p < n; p++) data[base + p] = src[p];
    else for (let p = 0; p < n; p++) data[base + p] = src[p] * slope + intercept;
  });

  const voi = item(shared.FrameVOILUTSequence);
  const out: ParametricMap = {
    id: str(ds.SeriesInstanceUID) ?? 'parametric-map',
    name: str(ds.SeriesDescription) || str(ds.ContentDescription) || 'Parametric map',
    volume: {
      geometry: g,
      data,
      frames: 1,
      unit,
      metadata: {
        modality: str(ds.Modality) ?? 'OT',
        studyInstanceUid: str(ds.StudyInstanceUID),
        seriesInstanceUid: str(ds.SeriesInstanceUID),
        seriesDescription: str(ds.SeriesDescription),
        patientId: str(ds.PatientID),
        patientName: str(ds.PatientName),
      },
      warnings: [],
    },
  };
  if (quantity) out.quantity = quantity;
  const center = num(voi?.WindowCenter);
  const width = num(voi?.WindowWidth);
  if (center !== undefined && width !== undefined) {
    const expl = str(voi?.WindowCenterWidthExplanation) ?? '';
    const cm = expl.startsWith(COLORMAP_PREFIX)
      ? (expl.slice(COLORMAP_PREFIX.length) as ColormapName)
      : 'hot';
    out.display = {
      colormap: COLORMAPS.includes(cm) ? cm : 'hot',
      range: [center - width / 2, center + width / 2],
    };
  }
  const refUid = str(item(ds.ReferencedSeriesSequence)?.SeriesInstanceUID);
  if (refUid) out.referencedSeriesUid = refUid;
  return out;
}

/**
 * Reads DICOM Parametric Map bytes. With `geometry` (the source grid) every frame must lie on one of its slices.
 * Throws a clear error for other SOP classes or inconsistent files.
 */
export function readParametricMap(bytes: Uint8Array | ArrayBuffer, geometry?: Geometry): ParametricMap {
  return parametricMapDatasetToMap(readDataset(bytes), geometry);
}
