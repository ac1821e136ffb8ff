/**
 * The Content-Security-Policy of every page and worker the app serves. Scripts come only from the app itself (plus
 * WebAssembly compilation, which onnxruntime-web, itk-wasm and the codecs need); no `eval`; no remote scripts,
 * styles or images; the only remote hosts the page may contact are the DICOMweb servers the user configured.
 */
import type { DicomWebServer } from '../common/api';

/**
 * Origins (`scheme://host[:port]`) of the configured servers, http(s) only, de-duplicated; anything that does not
 * parse as such a URL is dropped, so no string from the settings can inject a CSP token.
 */
export function connectOrigins(servers: readonly Pick<DicomWebServer, 'url'>[]): string[] {
  const out = new Set<string>();
  for (const s of servers) {
    let u: URL;
    try {
      u = new URL(s.url);
    } catch {
      continue;
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') continue;
    if (!/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/.test(u.hostname)) continue;
    out.add(u.origin);
  }
  return [...out];
}

/** Builds the CSP header value for the given DICOMweb servers. */
export function buildContentSecurityPolicy(servers: readonly Pick<DicomWebServer, 'url'>[]): string {
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", "'wasm-unsafe-eval'"]],
    ['worker-src', ["'self'", 'blob:']],
    ['connect-src', ["'self'", ...connectOrigins(servers)]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['font-src', ["'self'", 'data:']],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}
