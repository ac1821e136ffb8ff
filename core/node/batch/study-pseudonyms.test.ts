import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { stableUid } from '../../common/dicom/stable-uid';
import { DEID_MARKER, secretPath, StudyPseudonyms, writeLinkage } from './study-pseudonyms';

const tmp = mkdtempSync(path.join(tmpdir(), 'qiview-pseudonyms-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const UID = '1.2.826.0.1.3680043.10.5.1';

describe('StudyPseudonyms', () => {
  it('UID keys become a keyed 2.25 UID, folder keys study-<hex>; deterministic per secret, different across secrets', () => {
    const a = StudyPseudonyms.fromSecret(Buffer.alloc(32, 1));
    const a2 = StudyPseudonyms.fromSecret(Buffer.alloc(32, 1));
    const b = StudyPseudonyms.fromSecret(Buffer.alloc(32, 2));
    expect(a.studyKey(UID)).toMatch(/^2\.25\.\d{1,39}$/);
    expect(a.studyKey(UID).length).toBeLessThanOrEqual(64);
    expect(a.studyKey(UID)).toBe(a.uid(UID, UID)); // = the de-identified StudyInstanceUID
    expect(a.studyKey('DOE_JANE/visit1')).toMatch(/^study-[0-9a-f]{20}$/);
    expect(a2.studyKey(UID)).toBe(a.studyKey(UID));
    expect(b.studyKey(UID)).not.toBe(a.studyKey(UID));
    expect(b.studyKey('DOE_JANE/visit1')).not.toBe(a.studyKey('DOE_JANE/visit1'));
    // not the unkeyed UID anyone could compute from the source UID
    expect(a.uid(UID, UID)).not.toBe(stableUid(`deid\n${UID}\n${UID}`));
    expect(a.uid(UID, '')).toBe('');
    expect(a.subject(UID)).toMatch(/^s[0-9a-f]{10}$/);
    expect(() => StudyPseudonyms.fromSecret(Buffer.alloc(8))).toThrow(/16 bytes/);
  });

  it('scrub replaces the source key, its path segments and UID-like tokens; keeps numbers', () => {
    const p = StudyPseudonyms.fromSecret(Buffer.alloc(32, 3));
    const key = 'DOE_JANE_MRN4711/visit1';
    const t = p.scrub(
      key,
      `series ${UID}.7 of DOE_JANE_MRN4711/visit1 (DOE_JANE_MRN4711): mean 59.94, 1.5.2`,
    );
    expect(t).not.toContain('DOE_JANE');
    expect(t).not.toContain(UID);
    expect(t).toContain(p.uid(key, `${UID}.7`));
    expect(t).toContain(p.studyKey(key));
    expect(t).toContain('mean 59.94, 1.5.2');
    // a UID key: the series UID under it is remapped as one token; a replacement is not scanned again
    expect(p.scrub(UID, `series ${UID}.1 of ${UID}`)).toBe(
      `series ${p.uid(UID, `${UID}.1`)} of ${p.studyKey(UID)}`,
    );
    const k2 = 'p1/2024';
    const s2 = p.scrub(k2, 'p1/2024 failed; 2024 again; 20240301 kept');
    expect(s2).toBe(`${p.studyKey(k2)} failed; ${p.studyKey(k2)} again; 20240301 kept`);
    expect(p.scrub(k2, p.studyKey('other'))).toBe(p.studyKey('other'));
  });

  it('forOutDir: one secret per output folder, created once (0600) even by concurrent processes', async () => {
    const out = path.join(tmp, 'out');
    const code =
      `import { StudyPseudonyms } from ${JSON.stringify(path.resolve('core/node/batch/study-pseudonyms.ts'))};` +
      `console.log(StudyPseudonyms.forOutDir(process.argv[1]).studyKey('k'));`;
    const run = promisify(execFile);
    const outs = await Promise.all(
      Array.from({ length: 4 }, () =>
        run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, out]),
      ),
    );
    const keys = outs.map((o) => o.stdout.trim());
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^study-[0-9a-f]{20}$/);
    expect(StudyPseudonyms.forOutDir(out).studyKey('k')).toBe(keys[0]);
    expect(statSync(secretPath(out)).mode & 0o077).toBe(0);
    expect(readFileSync(secretPath(out), 'utf8')).toMatch(/^# Qiview re-identification key/);
    expect(StudyPseudonyms.forOutDir(path.join(tmp, 'other')).studyKey('k')).not.toBe(keys[0]);
    // the folder is marked with the key id; another key (or none) for it is refused
    expect(JSON.parse(readFileSync(path.join(out, DEID_MARKER), 'utf8')).keyId).toBe(
      StudyPseudonyms.forOutDir(out).keyId,
    );
    const elsewhere = path.join(tmp, 'keys-elsewhere');
    StudyPseudonyms.forKeyDir(elsewhere);
    expect(() => StudyPseudonyms.forOutDir(out, elsewhere)).toThrow(
      /de-identified with the re-identification key/,
    );
    expect(() => StudyPseudonyms.forOutDir(out, path.join(tmp, 'none'))).toThrow(/not found/);
  }, 30_000);

  it('forOutDir refuses a file that is not a key; writeLinkage keeps earlier rows', () => {
    const bad = path.join(tmp, 'bad');
    mkdirSync(path.dirname(secretPath(bad)), { recursive: true });
    writeFileSync(secretPath(bad), 'hello\n');
    expect(() => StudyPseudonyms.forOutDir(bad)).toThrow(/not a Qiview re-identification key/);
    const out = path.join(tmp, 'linkage');
    const p = StudyPseudonyms.forOutDir(out);
    writeLinkage(out, p, ['A_B']);
    const file = writeLinkage(out, p, ['C,D']);
    expect(readFileSync(file, 'utf8').split('\r\n')).toEqual([
      'pseudonym,source_key',
      `${p.studyKey('A_B')},A_B`,
      `${p.studyKey('C,D')},"C,D"`,
      '',
    ]);
  });
});
