/**
 * Result files name the series they were computed on, so the workstation can put them back on it: SEG / Parametric
 * Map (ReferencedSeriesSequence, Frame of Reference), SR (evidence + image library, only with source instances) and
 * the result JSON (provenance inputs).
 */
import { describe, expect, it } from 'vitest';
import { provenanceFromManifest } from '../../core/common/results/provenance';
import { resultFileReferences, looksLikeResultJson } from '../../core/common/results/result-file-references';
import { writeResultJson } from '../../core/common/results/result-json';
import { writeParametricMap } from '../../core/common/results/write-parametric-map';
import { writeSeg } from '../../core/common/results/write-seg';
import { writeSr } from '../../core/common/results/write-sr';
import { writeDataset } from '../../core/common/results/dcmjs';
import {
  phantomInstances,
  phantomLabelmap,
  phantomMeasurements,
  phantomParametricMap,
  phantomSource,
  PHANTOM_FOR_UID,
  PHANTOM_SERIES_UID,
  PHANTOM_STUDY_UID,
} from './results-phantom';

describe('result file references', () => {
  const lm = phantomLabelmap();
  const refs = phantomInstances(lm.geometry.dimensions[2]);

  it('SEG and parametric map: referenced series, frame of reference, study', () => {
    for (const [kind, bytes] of [
      ['seg', writeSeg(lm, phantomSource(), { referencedInstances: refs })],
      ['pm', writeParametricMap(phantomParametricMap(), phantomSource(), {})],
    ] as const) {
      const r = resultFileReferences(`${kind}.dcm`, bytes);
      expect(r).toEqual({
        kind,
        seriesUids: [PHANTOM_SERIES_UID],
        frameOfReferenceUid: PHANTOM_FOR_UID,
        studyInstanceUid: PHANTOM_STUDY_UID,
      });
    }
  });

  it('SR: the source series from its evidence when written with source instances; none without', () => {
    const withRefs = resultFileReferences(
      'sr.dcm',
      writeSr(phantomMeasurements(), phantomSource(), { labelmaps: [lm], referencedInstances: refs }),
    );
    expect(withRefs.kind).toBe('sr');
    expect(withRefs.seriesUids).toEqual([PHANTOM_SERIES_UID]);
    expect(withRefs.studyInstanceUid).toBe(PHANTOM_STUDY_UID);
    const bare = resultFileReferences('sr.dcm', writeSr(phantomMeasurements(), phantomSource(), {}));
    expect(bare.seriesUids).toEqual([]);
    expect(bare.studyInstanceUid).toBe(PHANTOM_STUDY_UID);
  });

  it('result JSON: provenance input series; recognised by its format field', () => {
    const p = provenanceFromManifest({ id: 'x', version: '1', models: [] }, { ct: PHANTOM_SERIES_UID });
    const text = writeResultJson(
      { labelmaps: [lm], maps: [], measurements: phantomMeasurements(), findings: [] },
      p,
    );
    expect(looksLikeResultJson(text)).toBe(true);
    expect(looksLikeResultJson('{"format":"other"}')).toBe(false);
    expect(resultFileReferences('r.json', new TextEncoder().encode(text))).toEqual({
      kind: 'json',
      seriesUids: [PHANTOM_SERIES_UID],
    });
  });

  it('other files get a clear error naming them', () => {
    const ct = writeDataset({
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
      SOPInstanceUID: '1.2.3.4',
      Modality: 'CT',
    });
    expect(() => resultFileReferences('ct.dcm', ct)).toThrow(/^ct\.dcm: .*not a result/);
    expect(() => resultFileReferences('x.json', new TextEncoder().encode('{"a":1}'))).toThrow(
      /^x\.json: not a Qiview result file/,
    );
  });

  it('a truncated result file or broken JSON gets a clear error naming the file, never a crash', () => {
    const seg = writeSeg(lm, phantomSource(), { referencedInstances: refs });
    expect(() => resultFileReferences('cut.dcm', seg.subarray(0, 300))).toThrow(/^cut\.dcm: /);
    expect(() => resultFileReferences('broken.json', new TextEncoder().encode('{"format":'))).toThrow(
      /^broken\.json: /,
    );
  });
});
