import { describe, expect, it } from 'vitest';
import { DicomWebClient } from './dicomweb-client';
import { DicomWebError } from './dicomweb-types';
import { buildMultipart, splitMultipart, boundaryOf } from './multipart';

function fakeFetch(respond: (url: string, init: RequestInit) => Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  const f = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return respond(url, init);
  }) as unknown as typeof fetch;
  return { f, calls };
}

describe('DicomWebClient (fake fetch)', () => {
  it('builds QIDO-RS URLs with filters and sends bearer / basic auth', async () => {
    const { f, calls } = fakeFetch(() => new Response('[]', { status: 200 }));
    const c = new DicomWebClient(
      { id: 's', name: 'S', url: 'https://pacs.example/dw//', auth: { kind: 'bearer', token: 'tok' } },
      { fetch: f },
    );
    await c.searchStudies({
      patientName: 'Doe',
      modality: 'ct',
      dateFrom: '20240101',
      studyInstanceUids: ['1.2', '1.3'],
    });
    const u = new URL(calls[0].url);
    expect(u.pathname).toBe('/dw/studies');
    expect(u.searchParams.get('PatientName')).toBe('Doe*');
    expect(u.searchParams.get('ModalitiesInStudy')).toBe('CT');
    expect(u.searchParams.get('StudyDate')).toBe('20240101-');
    expect(u.searchParams.get('StudyInstanceUID')).toBe('1.2,1.3');
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    const b = new DicomWebClient(
      { id: 's', name: 'S', url: 'http://x', auth: { kind: 'basic', username: 'ü', password: 'p:w' } },
      { fetch: f },
    );
    await b.searchSeries('1.2');
    expect((calls[1].init.headers as Record<string, string>).Authorization).toBe(
      `Basic ${Buffer.from('ü:p:w').toString('base64')}`,
    );
  });

  it('maps HTTP statuses and bad bodies to reasons', async () => {
    const status = async (s: number, body = 'x') => {
      const { f } = fakeFetch(() => new Response(body, { status: s }));
      return (await new DicomWebClient({ id: 's', name: 'S', url: 'http://x' }, { fetch: f })
        .searchStudies()
        .catch((e: unknown) => e)) as DicomWebError;
    };
    expect((await status(401)).reason).toBe('unauthorized');
    expect((await status(403)).reason).toBe('unauthorized');
    expect((await status(404)).reason).toBe('not-found');
    expect((await status(400)).reason).toBe('client-error');
    expect((await status(503)).reason).toBe('server-error');
    expect((await status(503, 'overloaded')).message).toContain('overloaded');
    expect((await status(200, '{not json')).reason).toBe('bad-response');
    const { f } = fakeFetch(() => new Response(null, { status: 204 }));
    expect(
      await new DicomWebClient({ id: 's', name: 'S', url: 'http://x' }, { fetch: f }).searchStudies(),
    ).toEqual([]);
  });

  it('multipart round trip keeps binary parts intact', () => {
    const parts = [new Uint8Array([0, 13, 10, 45, 45, 255]), new Uint8Array(1000).map((_, i) => i & 255)];
    const { body, contentType } = buildMultipart(parts);
    const back = splitMultipart(body, boundaryOf(contentType)!);
    expect(back.map((p) => [...p.body])).toEqual(parts.map((p) => [...p]));
    expect(back[0].headers['content-type']).toBe('application/dicom');
    expect(() => splitMultipart(new Uint8Array(10), 'b')).toThrow(/without parts/);
  });
});
