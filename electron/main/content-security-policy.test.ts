import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy, connectOrigins } from './content-security-policy';

/** directive -> source list */
function parse(csp: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    expect(m.has(name), `duplicate directive ${name}`).toBe(false);
    m.set(name, sources);
  }
  return m;
}

/** Sources that name no remote host. */
const LOCAL_SOURCES = new Set([
  "'self'",
  "'none'",
  "'wasm-unsafe-eval'",
  "'unsafe-inline'",
  'data:',
  'blob:',
]);

describe('content security policy', () => {
  it('has the required directives exactly', () => {
    const d = parse(buildContentSecurityPolicy([]));
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(d.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(d.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it("never allows 'unsafe-eval', wildcards or inline scripts", () => {
    const csp = buildContentSecurityPolicy([{ url: 'https://pacs.example' }]);
    for (const [name, sources] of parse(csp)) {
      expect(sources, name).not.toContain("'unsafe-eval'");
      expect(
        sources.some((s) => s.includes('*')),
        name,
      ).toBe(false);
      if (name === 'script-src') expect(sources).not.toContain("'unsafe-inline'");
    }
  });

  it('lets the page contact only the configured DICOMweb origins, only through connect-src', () => {
    const servers = [
      { url: 'https://pacs.hospital.example:8443/dicom-web' },
      { url: 'http://127.0.0.1:8042/dicom-web/' },
      { url: 'https://pacs.hospital.example:8443/other-root' }, // same origin: listed once
      { url: 'http://[::1]:8042/dicom-web' },
    ];
    const d = parse(buildContentSecurityPolicy(servers));
    expect(d.get('connect-src')).toEqual([
      "'self'",
      'https://pacs.hospital.example:8443',
      'http://127.0.0.1:8042',
      'http://[::1]:8042',
    ]);
    for (const [name, sources] of d) {
      if (name === 'connect-src') continue;
      for (const s of sources) expect(LOCAL_SOURCES.has(s), `${name} ${s}`).toBe(true);
    }
  });

  it('cannot be injected into through a server URL', () => {
    const evil = [
      { url: "https://a.example; script-src 'unsafe-eval' *" },
      { url: 'https://a.example/x;script-src *' },
      { url: "https://a.example/' 'unsafe-eval" },
      { url: 'javascript:alert(1)' },
      { url: 'file:///etc/passwd' },
      { url: 'wss://ws.example' },
      { url: 'not a url' },
    ];
    const csp = buildContentSecurityPolicy(evil);
    const d = parse(csp);
    expect(d.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    // Only a parsed origin may appear; the path part with ';' never does.
    expect(d.get('connect-src')).toEqual(["'self'", 'https://a.example']);
    expect(csp).not.toContain('javascript');
    expect(csp).not.toContain('file:');
    expect(connectOrigins(evil)).toEqual(['https://a.example']);
  });
});
