import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report';
import { canonicalJson } from './canonical-json';
import { reportResultId } from './report-result-id';
import { sha256Hex } from './sha256-hex';
import {
  SIGNED_REPORT_FORMAT,
  appendSignedReport,
  signReport,
  signedContent,
  verifySignedReport,
  type ReportDraft,
} from './signed-report';
import { syntheticAslCase } from './synthetic-results';

const nodeSha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined members, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1, { z: 0, y: 'x' }], c: undefined } })).toBe(
      '{"a":{"d":[3,1,{"y":"x","z":0}]},"b":1}',
    );
  });
  it('is independent of insertion order', () => {
    expect(canonicalJson({ x: 1, y: [true, null] })).toBe(canonicalJson({ y: [true, null], x: 1 }));
  });
  it('writes non-finite numbers and -0 as JSON storage keeps them (null, 0)', () => {
    const v = { nan: NaN, inf: -Infinity, zero: -0, n: 1.5e-7, s: 'é"\n中' };
    expect(canonicalJson(v)).toBe('{"inf":null,"n":1.5e-7,"nan":null,"s":"é\\"\\n中","zero":0}');
    expect(canonicalJson(JSON.parse(JSON.stringify(v)))).toBe(canonicalJson(v));
  });
  it('refuses what is not plain JSON data, naming where', () => {
    expect(() => canonicalJson({ a: [1, new Float32Array(2)] })).toThrow(/\$\.a\[1\] is not plain data/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/\$\.d/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/\$\.f is a function/);
    expect(() => canonicalJson({ b: 1n })).toThrow(/bigint/);
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 vectors and Node for UTF-8 text', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex('灌注 CBF ± 5')).toBe(nodeSha('灌注 CBF ± 5'));
  });
});

describe('signReport / verifySignedReport / appendSignedReport', () => {
  const c = syntheticAslCase();
  const model = buildReport(c.result, c.provenance, {
    locale: 'en',
    patient: { name: 'Doe^Jane', id: 'P1' },
    now: new Date('2026-11-25T06:00:00Z'),
  });
  const draft: ReportDraft = {
    model,
    images: [{ caption: 'CBF, axial 6', png: 'data:image/png;base64,AAAA', aspect: 1 }],
    comment: '  Normal perfusion.  ',
  };
  const at = new Date('2026-11-25T07:00:00Z');

  it('hashes the canonical content: Node SHA-256 of the canonical JSON, fields as signed', async () => {
    const r = await signReport(draft, { signer: ' Dr Li ', signedAt: at });
    expect(r.format).toBe(SIGNED_REPORT_FORMAT);
    expect(r.signature).toMatchObject({ signer: 'Dr Li', signedAt: '2026-11-25T07:00:00.000Z', version: 1 });
    expect(r.comment).toBe('Normal perfusion.');
    const { sha256, ...sig } = r.signature;
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256).toBe(nodeSha(canonicalJson(signedContent(r, sig))));
    // the canonical text names every signed value
    const text = canonicalJson(signedContent(r, sig));
    expect(text).toContain('"signer":"Dr Li"');
    expect(text).toContain(`"value":${model.keyMeasurements[0]!.value}`);
    expect(await verifySignedReport(r)).toBe(true);
  });

  it('is deterministic and survives JSON storage (IndexedDB keeps JSON)', async () => {
    const a = await signReport(draft, { signer: 'Dr Li', signedAt: at });
    const b = await signReport(structuredClone(draft), { signer: 'Dr Li', signedAt: at });
    expect(b.signature.sha256).toBe(a.signature.sha256);
    const stored = JSON.parse(JSON.stringify(a)) as typeof a;
    expect(await verifySignedReport(stored)).toBe(true);
  });

  it('a changed value, comment, image, signer or time no longer verifies', async () => {
    const r = await signReport(draft, { signer: 'Dr Li', signedAt: at });
    const tamper = [
      (x: typeof r) => (x.model.keyMeasurements[0]!.value += 0.001),
      (x: typeof r) => (x.comment = 'Abnormal.'),
      (x: typeof r) => (x.images[0]!.png = 'data:image/png;base64,AAAB'),
      (x: typeof r) => (x.signature.signer = 'Dr Wang'),
      (x: typeof r) => (x.signature.signedAt = '2026-11-25T07:00:01.000Z'),
      (x: typeof r) => (x.model.parameters[0]!.source = 'user'),
    ];
    for (const f of tamper) {
      const x = structuredClone(r);
      f(x);
      expect(await verifySignedReport(x)).toBe(false);
    }
  });

  it('refuses an empty signer and an amendment without a reason', async () => {
    await expect(signReport(draft, { signer: '   ' })).rejects.toThrow(/name of the reader/);
    const v1 = await signReport(draft, { signer: 'Dr Li', signedAt: at });
    await expect(signReport(draft, { signer: 'Dr Li', previous: v1 })).rejects.toThrow(/needs a reason/);
  });

  it('amendments append versions that chain the hashes; nothing is replaced', async () => {
    const v1 = await signReport(draft, { signer: 'Dr Li', signedAt: at });
    const v2 = await signReport(
      { ...draft, comment: 'Mild hypoperfusion, left MCA territory.' },
      { signer: 'Dr Wang', signedAt: new Date('2026-11-26T08:00:00Z'), previous: v1, amendReason: 'typo' },
    );
    expect(v2.signature).toMatchObject({
      version: 2,
      previousSha256: v1.signature.sha256,
      amendReason: 'typo',
    });
    expect(v2.signature.sha256).not.toBe(v1.signature.sha256);
    expect(await verifySignedReport(v2)).toBe(true);
    const h = appendSignedReport(appendSignedReport([], v1), v2);
    expect(h.map((r) => r.signature.version)).toEqual([1, 2]);
    // a second version 1, a skipped version, or a version that does not name the latest hash are refused
    const other = await signReport(draft, { signer: 'Dr Zhao', signedAt: at });
    expect(() => appendSignedReport([v1], other)).toThrow(/cannot follow version 1/);
    expect(() => appendSignedReport([], v2)).toThrow(/cannot follow version 0/);
    const forged = { ...v2, signature: { ...v2.signature, previousSha256: other.signature.sha256 } };
    expect(() => appendSignedReport([v1], forged)).toThrow(/does not amend the latest/);
  });
});

describe('reportResultId', () => {
  it('is stable for one run and differs for another time or other values', async () => {
    const c = syntheticAslCase();
    const id = await reportResultId(c.result, c.provenance);
    expect(id).toMatch(/^result-[0-9a-f]{32}$/);
    expect(await reportResultId(structuredClone(c.result), structuredClone(c.provenance))).toBe(id);
    expect(
      await reportResultId(c.result, { ...c.provenance, timestamp: '2026-11-20T09:30:01.000Z' }),
    ).not.toBe(id);
    const changed = structuredClone(c.result);
    changed.measurements[0]!.value += 1;
    expect(await reportResultId(changed, c.provenance)).not.toBe(id);
  });
});
