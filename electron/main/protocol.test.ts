import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy } from './content-security-policy';
import { APP_SCHEME_REGISTRATION, createAppProtocolHandler, mimeTypeFor, resolveAppPath } from './protocol';

// Created at load time: the attack table below names paths inside it.
const tmp = mkdtempSync(path.join(tmpdir(), 'qiview-protocol-'));
const dist = path.join(tmp, 'dist');
const SECRET = 'TOP-SECRET-OUTSIDE-DIST';
const WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

beforeAll(() => {
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Qiview</title>');
  writeFileSync(path.join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(dist, 'assets', 'ort.mjs'), 'export {}');
  writeFileSync(path.join(dist, 'assets', 'ort-wasm-simd-threaded.wasm'), WASM);
  writeFileSync(path.join(dist, 'assets', 'index.css'), 'body{}');
  writeFileSync(path.join(dist, 'assets', 'data.bin'), 'x');
  writeFileSync(path.join(dist, 'assets', 'with space.json'), '{"a":1}');
  writeFileSync(path.join(tmp, 'secret.txt'), SECRET);
  // A symlink inside dist that points outside: must not be followed out.
  symlinkSync(path.join(tmp, 'secret.txt'), path.join(dist, 'assets', 'link.txt'));
  mkdirSync(path.join(tmp, 'dist-evil'));
  writeFileSync(path.join(tmp, 'dist-evil', 'x.js'), SECRET);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PACS = [{ url: 'https://pacs.hospital.example:8443/dicom-web' }];
const handler = () =>
  createAppProtocolHandler({ rootDir: dist, contentSecurityPolicy: () => buildContentSecurityPolicy(PACS) });
const get = (url: string, method = 'GET', accept = '*/*') =>
  handler()({ url, method, headers: new Headers({ accept }) });

describe('app protocol: path traversal', () => {
  const attacks = [
    'qiview://app/../secret.txt',
    'qiview://app/assets/../../secret.txt',
    'qiview://app/%2e%2e/secret.txt',
    'qiview://app/%2E%2E/%2E%2E/secret.txt',
    'qiview://app/..%2fsecret.txt',
    'qiview://app/..%2Fsecret.txt',
    'qiview://app/assets/..%2f..%2fsecret.txt',
    'qiview://app/..%5csecret.txt',
    'qiview://app/assets\\..\\..\\secret.txt',
    'qiview://app/%252e%252e/secret.txt',
    'qiview://app/..%c0%afsecret.txt',
    `qiview://app/${encodeURIComponent(path.join(tmp, 'secret.txt'))}`,
    `qiview://app/${path.join(tmp, 'secret.txt')}`,
    `qiview://app//${path.join(tmp, 'secret.txt')}`,
    'qiview://app/C:/Windows/win.ini',
    'qiview://app/c%3A%5CWindows%5Cwin.ini',
    'qiview://app/assets/link.txt',
    'qiview://app/index.html%00.js',
    'qiview://app/../dist-evil/x.js',
    'qiview://app/%2e%2e%2fdist-evil/x.js',
  ];
  it.each(attacks)('does not serve anything outside dist for %s', async (url) => {
    const r = await get(url);
    const body = await r.text();
    expect(body).not.toContain(SECRET);
    // Either refused outright, or mapped to a (missing) path inside dist; never 200 with outside content.
    expect([400, 404]).toContain(r.status);
  });

  it('refuses encoded separators and dot segments as malformed (400)', async () => {
    for (const url of [
      'qiview://app/..%2fsecret.txt',
      'qiview://app/..%5csecret.txt',
      'qiview://app/c%3A%5Cx',
      'qiview://app/%2Fetc%2Fpasswd',
      'qiview://app/index.html%00.js',
      'qiview://app/%E0%A4%A',
    ]) {
      expect((await get(url)).status, url).toBe(400);
    }
  });

  it('lexical resolution keeps every result inside the root', () => {
    expect(resolveAppPath(dist, 'qiview://app/')).toEqual({ file: path.join(dist, 'index.html') });
    expect(resolveAppPath(dist, 'qiview://app/assets/a.js')).toEqual({
      file: path.join(dist, 'assets', 'a.js'),
    });
    expect(resolveAppPath(dist, 'qiview://app/../../x')).toEqual({ file: path.join(dist, 'x') });
    expect(resolveAppPath(dist, 'qiview://other/x')).toEqual({ error: 'foreign' });
    expect(resolveAppPath(dist, 'https://app/x')).toEqual({ error: 'foreign' });
    expect(resolveAppPath(dist, 'qiview://app/%2e%2e%2f')).toEqual({ error: 'bad' });
  });

  it('does not serve other hosts of the scheme', async () => {
    expect((await get('qiview://evil/index.html')).status).toBe(404);
    expect((await get('qiview://app.evil/index.html')).status).toBe(404);
  });
});

describe('app protocol: content', () => {
  it.each([
    ['qiview://app/', 'text/html; charset=utf-8', '<!doctype html>'],
    ['qiview://app/index.html', 'text/html; charset=utf-8', '<!doctype html>'],
    ['qiview://app/assets/index-abc.js', 'text/javascript; charset=utf-8', 'console.log(1)'],
    ['qiview://app/assets/ort.mjs', 'text/javascript; charset=utf-8', 'export {}'],
    ['qiview://app/assets/index.css', 'text/css; charset=utf-8', 'body{}'],
    ['qiview://app/assets/data.bin', 'application/octet-stream', 'x'],
    ['qiview://app/assets/with%20space.json?v=3#frag', 'application/json; charset=utf-8', '{"a":1}'],
  ])('%s is served as %s', async (url, type, start) => {
    const r = await get(url);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(type);
    expect((await r.text()).startsWith(start)).toBe(true);
  });

  it('serves .wasm as application/wasm with the exact bytes (so instantiateStreaming works)', async () => {
    const r = await get('qiview://app/assets/ort-wasm-simd-threaded.wasm');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/wasm');
    expect(r.headers.get('content-length')).toBe(String(WASM.byteLength));
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(WASM);
  });

  it('maps MIME types case-insensitively and falls back to octet-stream', () => {
    expect(mimeTypeFor('A.WASM')).toBe('application/wasm');
    expect(mimeTypeFor('x.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('model.onnx')).toBe('application/octet-stream');
    expect(mimeTypeFor('noext')).toBe('application/octet-stream');
  });

  it('answers missing files with 404, page navigations to routes with index.html, HEAD without body', async () => {
    expect((await get('qiview://app/assets/missing.js')).status).toBe(404);
    expect((await get('qiview://app/viewer/study/1.2.3')).status).toBe(404);
    const route = await get(
      'qiview://app/viewer/study/1.2.3',
      'GET',
      'text/html,application/xhtml+xml,*/*;q=0.8',
    );
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>Qiview</title>');
    const head = await get('qiview://app/assets/index-abc.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('14');
    expect(await head.text()).toBe('');
    expect((await get('qiview://app/index.html', 'POST')).status).toBe(405);
  });
});

describe('app protocol: headers', () => {
  it('sends cross-origin isolation and hardening headers on every response, errors included', async () => {
    for (const url of [
      'qiview://app/',
      'qiview://app/assets/ort.mjs',
      'qiview://app/missing.js',
      'qiview://app/..%2f',
    ]) {
      const h = (await get(url)).headers;
      expect(h.get('cross-origin-opener-policy'), url).toBe('same-origin');
      expect(h.get('cross-origin-embedder-policy'), url).toBe('require-corp');
      expect(h.get('cross-origin-resource-policy'), url).toBe('same-origin');
      expect(h.get('x-content-type-options'), url).toBe('nosniff');
      expect(h.get('content-security-policy'), url).toBe(buildContentSecurityPolicy(PACS));
      expect(h.get('access-control-allow-origin'), url).toBeNull();
    }
  });

  it('CSP follows the settings at request time', async () => {
    let servers = [{ url: 'https://a.example' }];
    const h = createAppProtocolHandler({
      rootDir: dist,
      contentSecurityPolicy: () => buildContentSecurityPolicy(servers),
    });
    const csp1 = (await h({ url: 'qiview://app/', method: 'GET' })).headers.get('content-security-policy');
    servers = [{ url: 'https://b.example' }];
    const csp2 = (await h({ url: 'qiview://app/', method: 'GET' })).headers.get('content-security-policy');
    expect(csp1).toContain("connect-src 'self' https://a.example;");
    expect(csp2).toContain("connect-src 'self' https://b.example;");
    expect(csp2).not.toContain('a.example');
  });

  it('registers the scheme as standard, secure and fetch-capable', () => {
    expect(APP_SCHEME_REGISTRATION.scheme).toBe('qiview');
    expect(APP_SCHEME_REGISTRATION.privileges).toMatchObject({
      standard: true,
      secure: true,
      supportFetchAPI: true,
      bypassCSP: false,
      allowServiceWorkers: false,
    });
  });
});
