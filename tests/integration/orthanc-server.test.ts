import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctSeriesFiles } from '../phantoms/ct-series';
import { orthancUnavailableReason, startOrthanc, type OrthancServer } from '../servers';

const why = orthancUnavailableReason();
if (why) console.warn(`SKIP orthanc-server: ${why}`);

describe.skipIf(why !== null)('startOrthanc', () => {
  let orthanc: OrthancServer;
  beforeAll(async () => {
    orthanc = await startOrthanc();
  });
  afterAll(async () => orthanc?.stop());

  it('answers /system and QIDO-RS, accepts an upload, and stops cleanly', async () => {
    expect((await fetch(`${orthanc.url}/system`)).status).toBe(200);
    const files = await ctSeriesFiles({ dims: [16, 16, 2], studyUid: '1.2.826.0.1.3680043.10.9.1' });
    const r = await orthanc.upload(files[0].bytes);
    expect(r.Status).toBe('Success');
    const q = await fetch(`${orthanc.dicomWebUrl}/studies`, {
      headers: { Accept: 'application/dicom+json' },
    });
    const studies = (await q.json()) as Record<string, { Value?: unknown[] }>[];
    expect(studies.map((s) => s['0020000D']?.Value?.[0])).toContain('1.2.826.0.1.3680043.10.9.1');
  });
});
