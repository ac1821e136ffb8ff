/**
 * The `qiview://app/...` scheme: serves the built renderer (Vite's `dist/`) to the window, instead of `file://`.
 * A privileged standard scheme gives the page a real origin (so 'self' in the CSP, fetch, module workers and
 * cross-origin isolation all work) and lets us attach security headers to every response.
 *
 * Path safety: each URL segment is percent-decoded on its own and refused when it is `.`/`..`, contains a slash,
 * backslash, NUL or a drive letter; the joined path must stay inside the root, and so must its real path
 * (symlinks cannot lead out).
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from '../common/channels';

/**
 * Registration of the scheme, passed to `protocol.registerSchemesAsPrivileged` before the app is ready.
 * standard: real origin and relative URLs; secure: treated like https (secure context, needed by
 * SharedArrayBuffer/crossOriginIsolated); supportFetchAPI: `fetch()` of app assets (wasm, models); corsEnabled: module
 * scripts and module workers are CORS-mode requests; codeCache: V8 code cache for faster starts.
 */
export const APP_SCHEME_REGISTRATION = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    corsEnabled: true,
    codeCache: true,
    stream: true,
    allowServiceWorkers: false,
    bypassCSP: false,
  },
} as const;

/** Content types by file extension (lower case, with dot). Unknown types are served as octet-stream. */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.xml': 'application/xml',
  '.onnx': 'application/octet-stream',
};

/** Content type for a file name. */
export function mimeTypeFor(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers on every response of the scheme (the CSP is added per response, since it follows the settings). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // Cross-origin isolation: SharedArrayBuffer, hence onnxruntime-web and wasm threads.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
  'Cache-Control': 'no-cache',
};

/** True when `s` contains NUL or another C0 control character. */
function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x20 || s.charCodeAt(i) === 0x7f) return true;
  return false;
}

/** Why a URL does not map to a file: `bad` (malformed or traversal attempt) or `foreign` (another host). */
export type ResolveFailure = 'bad' | 'foreign';

/**
 * Maps an app URL to a path inside `rootDir` (lexically; the caller checks the real path). `/` maps to index.html.
 */
export function resolveAppPath(rootDir: string, url: string): { file: string } | { error: ResolveFailure } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { error: 'bad' };
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.hostname.toLowerCase() !== APP_HOST || u.port || u.username) {
    return { error: 'foreign' };
  }
  const segments: string[] = [];
  for (const raw of u.pathname.split('/')) {
    if (raw === '') continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return { error: 'bad' };
    }
    if (
      seg === '.' ||
      seg === '..' ||
      /[/\\]/.test(seg) ||
      /^[A-Za-z]:/.test(seg) ||
      hasControlCharacter(seg)
    ) {
      return { error: 'bad' };
    }
    segments.push(seg);
  }
  if (segments.length === 0) segments.push('index.html');
  const root = path.resolve(rootDir);
  const file = path.resolve(root, ...segments);
  const rel = path.relative(root, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { error: 'bad' };
  return { file };
}

/** Options of {@link createAppProtocolHandler}. */
export interface AppProtocolOptions {
  /** The built renderer (Vite `dist/`). */
  rootDir: string;
  /** CSP header value, read per response (it follows the configured DICOMweb servers). */
  contentSecurityPolicy: () => string;
  /**
   * Serve index.html for missing paths requested as a page (`Accept: text/html`, i.e. navigations to client-side
   * routes); missing assets still get 404. Default true.
   */
  spaFallback?: boolean;
}

/** The minimal request shape the handler reads (Electron passes a Fetch API `Request`). */
export interface AppRequestLike {
  readonly url: string;
  readonly method: string;
  readonly headers?: { get(name: string): string | null };
}

/** Builds the handler for `protocol.handle(APP_SCHEME, handler)`. */
export function createAppProtocolHandler(
  options: AppProtocolOptions,
): (req: AppRequestLike) => Promise<Response> {
  const spaFallback = options.spaFallback ?? true;
  let realRoot: Promise<string> | null = null;
  const getRealRoot = () => (realRoot ??= realpath(path.resolve(options.rootDir)));

  const respond = (
    status: number,
    body: Uint8Array<ArrayBuffer> | string | null,
    contentType: string,
    head = false,
  ) => {
    const headers = new Headers(SECURITY_HEADERS);
    headers.set('Content-Security-Policy', options.contentSecurityPolicy());
    headers.set('Content-Type', contentType);
    if (body !== null) {
      headers.set(
        'Content-Length',
        String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength),
      );
    }
    return new Response(head ? null : body, { status, headers });
  };
  const text = (status: number, message: string, head: boolean) =>
    respond(status, message, 'text/plain; charset=utf-8', head);

  /** Real path of `file` when it is a regular file inside the root; null otherwise. */
  async function inside(file: string): Promise<string | null> {
    let real: string;
    try {
      real = await realpath(file);
      if (!(await stat(real)).isFile()) return null;
    } catch {
      return null;
    }
    const rel = path.relative(await getRealRoot(), real);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? real : null;
  }

  return async function handleAppRequest(req) {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) return text(405, 'Method Not Allowed', false);
    const resolved = resolveAppPath(options.rootDir, req.url);
    if ('error' in resolved) {
      return resolved.error === 'foreign' ? text(404, 'Not Found', head) : text(400, 'Bad Request', head);
    }
    let file = await inside(resolved.file);
    if (file === null && spaFallback && (req.headers?.get('accept') ?? '').includes('text/html')) {
      file = await inside(path.join(options.rootDir, 'index.html'));
    }
    if (file === null) return text(404, 'Not Found', head);
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await readFile(file);
    } catch {
      return text(500, 'Internal Server Error', head);
    }
    return respond(200, body, mimeTypeFor(file), head);
  };
}
