import { describe, expect, it } from 'vitest';
import { writeParametricMap } from '../../core/common/results/write-parametric-map';
import { readParametricMap } from '../../core/common/results/read-parametric-map';
import { dcmjs } from '../../core/common/results/dcmjs';
import { phantomParametricMap, phantomSource, phantomInstances, PHANTOM_SERIES_UID } from './results-phantom';

describe('DICOM Parametric Map round trip', () => {
  const map = phantomParametricMap();
  const bytes = writeParametricMap(
    map,
    { ...phantomSource(), Modality: 'MR' },
    { referencedInstances: phantomInstances(9) },
  );

  it('reads back bit-exact float voxels, unit, quantity and display on the source grid', () => {
    const back = readParametricMap(bytes, map.volume.geometry);
    expect(back.volume.data.length).toBe(map.volume.data.length);
    let diff = 0;
    for (let i = 0; i < map.volume.data.length; i++)
      if (!Object.is(back.volume.data[i], map.volume.data[i])) diff++;
    expect(diff).toBe(0);
    expect(back.volume.unit).toBe('ml/100g/min');
    expect(back.quantity).toEqual(map.quantity);
    expect(back.display?.colormap).toBe('viridis');
    expect(back.display!.range[0]).toBeCloseTo(0, 9);
    expect(back.display!.range[1]).toBeCloseTo(80, 9);
    expect(back.referencedSeriesUid).toBe(PHANTOM_SERIES_UID);
  });

  it('rebuilds the same geometry from the frames (positions to 1e-6 mm)', () => {
    const back = readParametricMap(bytes);
    const g = back.volume.geometry;
    expect(g.dimensions).toEqual(map.volume.geometry.dimensions);
    for (let c = 0; c < 3; c++) {
      expect(g.origin[c]).toBeCloseTo(map.volume.geometry.origin[c], 6);
      expect(g.spacing[c]).toBeCloseTo(map.volume.geometry.spacing[c], 6);
    }
    expect(Object.is(back.volume.data[1234], map.volume.data[1234])).toBe(true);
  });

  it('is parsed by dcmjs with float pixel data and a real world value mapping in UCUM', () => {
    const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(
      dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(0) as ArrayBuffer).dict,
    );
    expect(ds.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.30');
    expect(ds.BitsAllocated).toBe(32);
    expect(ds.NumberOfFrames).toBe(9);
    expect(ds.DimensionIndexSequence[0].DimensionIndexPointer).toBe(0x00200032);
    expect(ds.DimensionIndexSequence[0].FunctionalGroupPointer).toBe(0x00209113);
    const rwvm = ds.SharedFunctionalGroupsSequence[0].RealWorldValueMappingSequence[0];
    expect(rwvm.MeasurementUnitsCodeSequence[0].CodeValue).toBe('ml/100g/min');
    expect(rwvm.MeasurementUnitsCodeSequence[0].CodingSchemeDesignator).toBe('UCUM');
    expect((ds.FloatPixelData[0] as ArrayBuffer).byteLength).toBe(24 * 20 * 9 * 4);
  });

  it('refuses 4D maps and wrong data lengths clearly', () => {
    const four = { ...map, volume: { ...map.volume, frames: 2 } };
    expect(() => writeParametricMap(four, phantomSource())).toThrow(/frames/);
    const short = { ...map, volume: { ...map.volume, data: map.volume.data.subarray(3) } };
    expect(() => writeParametricMap(short, phantomSource())).toThrow(/voxels/);
  });
});
