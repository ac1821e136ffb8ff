/**
 * The plugin panel's input selection never completes the active series' inputs with a series of another patient
 * that happens to be open in the viewer (a ROI or M0 of an earlier-opened study), while series of the same patient,
 * and series without a PatientID (NIfTI files), still can.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { groupInstances } from '@qiview/core/common/dicom/group-instances';
import { parseInstance } from '@qiview/core/common/dicom/parse-instance';
import { parseManifest, type Manifest } from '@qiview/sdk';
import { ctSeriesFiles } from '../../tests/phantoms/ct-series';
import { useViewerStore } from '../state/viewer-store';
import { EMPTY_LIBRARY, mergeLibrary, useStudyBrowser } from '../study-browser/study-browser-store';
import { selectionFor } from './plugin-run-store';
import { librarySeries } from './series-inputs';

const uid = (n: number) => `1.2.826.0.1.3680043.10.78.${n}`;

async function ctStudy(n: number, patientId: string) {
  const files = await ctSeriesFiles({
    dims: [8, 8, 4],
    studyUid: uid(n),
    seriesUid: uid(1000 + n),
    sopUidPrefix: `${uid(2000 + n)}.`,
    patientId,
  });
  return groupInstances(files.map((f, i) => parseInstance(f.bytes, { kind: 'memory', id: `${n}-${i}` })));
}

const parsed = parseManifest({
  id: 'org.qiview.test-two-inputs',
  version: '0.1.0',
  apiVersion: '^0.1.0',
  publisher: 'Qiview',
  license: 'Apache-2.0',
  main: 'index.js',
  inputs: [
    { role: 'main', required: true, rules: [{ attribute: 'SeriesInstanceUID', equals: [uid(1001)] }] },
    {
      role: 'extra',
      required: false,
      rules: [{ attribute: 'SeriesInstanceUID', equals: [uid(1002), uid(1003)] }],
    },
  ],
  models: [],
  permissions: [],
  parameters: [],
  limits: { timeoutSeconds: 60, memoryMb: 512 },
  strings: {
    en: { name: 'two inputs', description: 'test' },
    'zh-CN': { name: 'two inputs', description: 'test' },
  },
});
if (!parsed.ok) throw new Error(parsed.errors.join('; '));
const entry = { manifest: parsed.manifest as Manifest, baseUrl: '' };

/** Opens library series (by study number) in the viewer store, the first one active. */
function open(...studies: number[]): void {
  const series = Object.fromEntries(
    studies.map((n) => {
      const s = librarySeries(uid(1000 + n))!;
      return [s.key, s];
    }),
  );
  useViewerStore.setState({ series, activeSeriesKey: Object.keys(series)[0] ?? null });
}

describe('plugin panel selection across open series', () => {
  beforeEach(async () => {
    let lib = EMPTY_LIBRARY;
    for (const s of [
      await ctStudy(1, 'P1'), // main
      await ctStudy(2, 'P2'), // fits 'extra', another patient
      await ctStudy(3, 'P1'), // fits 'extra', same patient
    ])
      lib = mergeLibrary(lib, s);
    useStudyBrowser.getState().set({ library: lib });
  });

  it('leaves out an open series of another patient', () => {
    open(1, 2);
    const sel = selectionFor(entry);
    if (!sel.ok) throw new Error(sel.errors.join('; '));
    expect(sel.roles.main).toBe(`library:${uid(1001)}`);
    expect(sel.roles.extra).toBeUndefined();
  });

  it('still takes an open series of the same patient', () => {
    open(1, 2, 3);
    const sel = selectionFor(entry);
    if (!sel.ok) throw new Error(sel.errors.join('; '));
    expect(sel.roles.extra).toBe(`library:${uid(1003)}`);
  });
});
