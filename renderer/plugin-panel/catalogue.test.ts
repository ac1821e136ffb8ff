import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue, manifestString } from './catalogue';

const root = path.resolve(__dirname, '../..');
/** A fetch over a tiny in-memory site: the example's real manifest, a broken one, an index. */
function site(files: Record<string, string>): typeof fetch {
  return (async (url: string | URL) => {
    const p = new URL(String(url)).pathname;
    const body = files[p];
    return body === undefined
      ? new Response('not found', { status: 404 })
      : new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

describe('loadCatalogue', () => {
  const example = readFileSync(path.join(root, 'plugins/example/manifest.json'), 'utf8');
  it('lists valid plugins, reports broken ones, and resolves bundle and runtime URLs', async () => {
    const c = await loadCatalogue(
      'http://h/app/plugins/',
      site({
        '/app/plugins/index.json': JSON.stringify({
          plugins: ['org.qiview.example-threshold', 'bad', 'missing'],
        }),
        '/app/plugins/org.qiview.example-threshold/manifest.json': example,
        '/app/plugins/bad/manifest.json': JSON.stringify({ id: 'bad' }),
      }),
    );
    expect(c.entries.map((e) => e.manifest.id)).toEqual(['org.qiview.example-threshold']);
    expect(c.entries[0].baseUrl).toBe('http://h/app/plugins/org.qiview.example-threshold/');
    expect(c.runtimeUrl).toBe('http://h/app/plugins/.runtime/');
    expect(c.errors).toHaveLength(2);
    expect(c.errors.find((e) => e.startsWith('missing:'))).toMatch(/404/);
    expect(c.errors.find((e) => e.startsWith('bad:'))).toBeTruthy();
    const m = c.entries[0].manifest;
    expect(manifestString(m, 'zh-CN', 'name')).toBe('示例：阈值 + 最大连通域');
    expect(manifestString(m, 'fr', 'name')).toBe('Example: threshold + largest component');
    expect(manifestString(m, 'en', 'nope', 'x')).toBe('x');
  });
  it('rejects when the index is unreadable', async () => {
    await expect(loadCatalogue('http://h/plugins/', site({}))).rejects.toThrow(/404/);
  });
});
