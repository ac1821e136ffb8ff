import { describe, expect, it } from 'vitest';
import { boundaryOf, splitMultipart } from './multipart';
import { searchStudies, studySearchUrl } from './dicomweb-client';

const enc = new TextEncoder();

describe('multipart', () => {
  it('extracts part bodies, binary-safe', () => {
    const a = new Uint8Array([0, 1, 2, 13, 10, 45, 45, 255]);
    const b = new Uint8Array([9, 8, 7]);
    const ct = 'multipart/related; type="application/dicom"; boundary="abc123"';
    const bd = boundaryOf(ct)!;
    expect(bd).toBe('abc123');
    const body = new Uint8Array([
      ...enc.encode(`--${bd}\r\nContent-Type: application/dicom\r\n\r\n`),
      ...a,
      ...enc.encode(`\r\n--${bd}\r\nContent-Type: application/dicom\r\n\r\n`),
      ...b,
      ...enc.encode(`\r\n--${bd}--\r\n`),
    ]);
    const parts = splitMultipart(body, bd);
    expect(parts.map((p) => Array.from(p))).toEqual([Array.from(a), Array.from(b)]);
    expect(() => splitMultipart(enc.encode('garbage'), bd)).toThrow(/without parts/);
  });
});

describe('QIDO-RS', () => {
  it('builds the query and maps DICOM JSON', async () => {
    const url = studySearchUrl(
      { url: 'http://h/dicom-web/' },
      { patientName: 'Doe', modality: 'ct', dateFrom: '20200101', dateTo: '20201231' },
    );
    const u = new URL(url);
    expect(u.pathname).toBe('/dicom-web/studies');
    expect(u.searchParams.get('PatientName')).toBe('Doe*');
    expect(u.searchParams.get('ModalitiesInStudy')).toBe('CT');
    expect(u.searchParams.get('StudyDate')).toBe('20200101-20201231');
    const fake = (async () =>
      new Response(
        JSON.stringify([
          {
            '0020000D': { vr: 'UI', Value: ['1.2.3'] },
            '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^John' }] },
            '00080061': { vr: 'CS', Value: ['CT', 'SEG'] },
            '00201208': { vr: 'IS', Value: [12] },
          },
        ]),
        { status: 200 },
      )) as unknown as typeof fetch;
    const [s] = await searchStudies({ url: 'http://h/dicom-web' }, {}, fake);
    expect(s).toMatchObject({
      studyInstanceUid: '1.2.3',
      patientName: 'Doe John',
      modalities: ['CT', 'SEG'],
      numberOfInstances: 12,
    });
    const fail = (async () =>
      new Response('no', { status: 500, statusText: 'Server Error' })) as unknown as typeof fetch;
    await expect(searchStudies({ url: 'http://h' }, {}, fail)).rejects.toThrow(/500/);
  });
});
