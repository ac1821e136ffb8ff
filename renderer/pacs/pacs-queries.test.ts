import { describe, expect, it } from 'vitest';
import { buildMultipart } from '../../core/common/dicomweb';
import { pacsClient, searchPacsInstances, searchPacsSeries, searchPacsStudies } from './pacs-queries';
import { retrieveSeriesFiles } from './retrieve-series';

const SERVER = { id: 'orthanc', name: 'Orthanc', url: 'http://h/dicom-web/' };

/** A fake server: records the URLs asked and answers from a route table. */
function fakeFetch(routes: Record<string, () => Response>) {
  const asked: string[] = [];
  const fn = (async (input: RequestInfo | URL) => {
    const url = String(input);
    asked.push(url);
    const path = new URL(url).pathname.replace('/dicom-web', '');
    const route = routes[path];
    return route ? route() : new Response('nothing here', { status: 404, statusText: 'Not Found' });
  }) as typeof fetch;
  return { fn, asked };
}

const json = (v: unknown) => () => new Response(JSON.stringify(v), { status: 200 });

describe('PACS queries over the shared DicomWebClient', () => {
  it('searches studies with the panel filters and maps DICOM JSON', async () => {
    const { fn, asked } = fakeFetch({
      '/studies': json([
        {
          '0020000D': { vr: 'UI', Value: ['1.2.3'] },
          '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^John' }] },
          '00080061': { vr: 'CS', Value: ['CT', 'SEG'] },
          '00201208': { vr: 'IS', Value: [12] },
        },
      ]),
    });
    const [s] = await searchPacsStudies(pacsClient(SERVER, fn), {
      patientName: 'Doe',
      modality: 'ct',
      dateFrom: '20200101',
      dateTo: '20201231',
    });
    expect(s).toMatchObject({
      studyInstanceUid: '1.2.3',
      patientName: 'Doe John',
      modalities: ['CT', 'SEG'],
      numberOfInstances: 12,
    });
    const u = new URL(asked[0]);
    expect(u.pathname).toBe('/dicom-web/studies');
    expect(u.searchParams.get('PatientName')).toBe('Doe*');
    expect(u.searchParams.get('ModalitiesInStudy')).toBe('CT');
    expect(u.searchParams.get('StudyDate')).toBe('20200101-20201231');
  });

  it('sorts series and instances by number; errors name the server and the HTTP status', async () => {
    const { fn } = fakeFetch({
      '/studies/1.2.3/series': json([
        { '0020000E': { vr: 'UI', Value: ['1.2.3.2'] }, '00200011': { vr: 'IS', Value: [2] } },
        { '0020000E': { vr: 'UI', Value: ['1.2.3.1'] }, '00200011': { vr: 'IS', Value: [1] } },
      ]),
      '/studies/1.2.3/series/1.2.3.1/instances': json([
        { '00080018': { vr: 'UI', Value: ['1.2.3.1.2'] }, '00200013': { vr: 'IS', Value: [2] } },
        { '00080018': { vr: 'UI', Value: ['1.2.3.1.1'] }, '00200013': { vr: 'IS', Value: [1] } },
      ]),
    });
    const client = pacsClient(SERVER, fn);
    expect((await searchPacsSeries(client, '1.2.3')).map((s) => s.seriesInstanceUid)).toEqual([
      '1.2.3.1',
      '1.2.3.2',
    ]);
    expect(await searchPacsInstances(client, '1.2.3', '1.2.3.1')).toEqual(['1.2.3.1.1', '1.2.3.1.2']);
    await expect(searchPacsSeries(client, '9.9')).rejects.toThrow(/Orthanc: HTTP 404/);
    const fail = pacsClient(
      SERVER,
      (async () =>
        new Response('no', { status: 500, statusText: 'Server Error' })) as unknown as typeof fetch,
    );
    await expect(searchPacsStudies(fail, {})).rejects.toThrow(/HTTP 500/);
  });

  it('retrieves every instance of a series as files with the exact bytes (WADO-RS multipart)', async () => {
    const bytes = (k: number) => Uint8Array.from({ length: 300 }, (_, i) => (i * 13 + k) % 256);
    const part = (k: number) => () => {
      const { body, contentType } = buildMultipart([bytes(k)]);
      return new Response(body as Uint8Array<ArrayBuffer>, {
        status: 200,
        headers: { 'Content-Type': contentType },
      });
    };
    const { fn } = fakeFetch({
      '/studies/1.2.3/series/1.2.3.1/instances': json([
        { '00080018': { vr: 'UI', Value: ['1.2.3.1.1'] }, '00200013': { vr: 'IS', Value: [1] } },
        { '00080018': { vr: 'UI', Value: ['1.2.3.1.2'] }, '00200013': { vr: 'IS', Value: [2] } },
      ]),
      '/studies/1.2.3/series/1.2.3.1/instances/1.2.3.1.1': part(1),
      '/studies/1.2.3/series/1.2.3.1/instances/1.2.3.1.2': part(2),
    });
    const progress: string[] = [];
    const files = await retrieveSeriesFiles(pacsClient(SERVER, fn), '1.2.3', '1.2.3.1', (d, t) =>
      progress.push(`${d}/${t}`),
    );
    expect(files.map((f) => f.name)).toEqual([
      'Orthanc/1.2.3.1/1.2.3.1.1.dcm',
      'Orthanc/1.2.3.1/1.2.3.1.2.dcm',
    ]);
    for (const [k, f] of files.entries())
      expect(Array.from(new Uint8Array(await f.file!.arrayBuffer()))).toEqual(Array.from(bytes(k + 1)));
    expect(progress.at(-1)).toBe('2/2');
  });
});
