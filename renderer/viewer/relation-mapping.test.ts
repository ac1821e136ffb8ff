import { beforeEach, describe, expect, it } from 'vitest';
import { relationMapping } from './relation-mapping';
import { useViewerStore, type SeriesRelation } from '../state/viewer-store';
import type { OpenableSeries } from '../state/openable-series';

const series = (key: string): OpenableSeries => ({
  key,
  studyInstanceUid: 's',
  seriesInstanceUid: key,
  modality: 'CT',
  imageIds: ['dicomfile:0', 'dicomfile:1'],
  hasGeometry: true,
  warnings: [],
});

/** Prior = current turned 4° about z and moved 30 mm up the table (and a little sideways). */
const turn = (4 * Math.PI) / 180;
const matrix = [Math.cos(turn), -Math.sin(turn), 0, 6, Math.sin(turn), Math.cos(turn), 0, -4, 0, 0, 1, 30];
const relation: SeriesRelation = { fixedKey: 'cur', movingKey: 'pri', matrix, method: 'test' };

describe('slice sync through a registration', () => {
  it('maps current → prior by A·x + b and prior → current by the inverse', () => {
    const fwd = relationMapping([relation], 'cur', 'pri')!;
    const back = relationMapping([relation], 'pri', 'cur')!;
    const x = [50, -20, 12];
    const y = fwd(x);
    expect(y[0]).toBeCloseTo(50 * Math.cos(turn) + 20 * Math.sin(turn) + 6, 10);
    expect(y[1]).toBeCloseTo(50 * Math.sin(turn) - 20 * Math.cos(turn) - 4, 10);
    expect(y[2]).toBeCloseTo(42, 10);
    const z = back(y);
    for (let i = 0; i < 3; i++) expect(z[i]).toBeCloseTo(x[i]!, 10);
    // a prior slice at z = 30 mm shows what the current shows at z = 0
    expect(back([0, 0, 30])[2]).toBeCloseTo(0, 10);
  });

  it('leaves other pairs to patient-coordinate sync', () => {
    expect(relationMapping([relation], 'cur', 'other')).toBeUndefined();
    expect(relationMapping([relation], 'cur', 'cur')).toBeUndefined();
    expect(relationMapping([], 'cur', 'pri')).toBeUndefined();
  });
});

describe('viewer store relations', () => {
  beforeEach(() => {
    useViewerStore.setState({
      series: {},
      cells: [null],
      activeCell: 0,
      activeSeriesKey: null,
      layout: '1x1',
      overlays: [],
      relations: [],
    });
  });
  const sideBySide = () => {
    const st = useViewerStore.getState();
    st.setLayout('1x2');
    useViewerStore.getState().openSeries(series('cur'), 0);
    useViewerStore.getState().openSeries(series('pri'), 1);
    useViewerStore.getState().setRelation(relation);
  };

  it('keeps a relation while both series are shown and replaces it for the same pair', () => {
    sideBySide();
    expect(useViewerStore.getState().relations).toEqual([relation]);
    // the same pair the other way round replaces it
    const reverse = { fixedKey: 'pri', movingKey: 'cur', matrix, method: 'again' };
    useViewerStore.getState().setRelation(reverse);
    expect(useViewerStore.getState().relations).toEqual([reverse]);
    // a 2×2 layout still shows both
    useViewerStore.getState().setLayout('2x2');
    expect(useViewerStore.getState().relations).toHaveLength(1);
  });

  it('drops the relation when the layout no longer shows both series', () => {
    sideBySide();
    useViewerStore.getState().setLayout('1x1');
    expect(useViewerStore.getState().relations).toEqual([]);
    // back to 1×2: the second cell repeats the active series, the prior is not related again by itself
    useViewerStore.getState().setLayout('1x2');
    expect(useViewerStore.getState().relations).toEqual([]);
  });

  it('drops the relation when another series replaces one of the pair', () => {
    sideBySide();
    useViewerStore.getState().openSeries(series('third'), 1);
    expect(useViewerStore.getState().relations).toEqual([]);
  });

  it('refuses a relation of a series with itself or with an unusable matrix', () => {
    sideBySide();
    const st = useViewerStore.getState();
    expect(() => st.setRelation({ ...relation, movingKey: 'cur' })).toThrow(/itself/);
    expect(() => st.setRelation({ ...relation, matrix: matrix.slice(0, 9) })).toThrow(/12 numbers/);
    expect(() => st.setRelation({ ...relation, matrix: matrix.map(() => 0) })).toThrow(/singular/);
  });
});
