/**
 * The built-in plugin catalogue: `plugins/index.json` (ids) and each `plugins/<id>/manifest.json`, served from the
 * page's origin (vite.config.ts copies dist-plugins/ there; Electron serves the same dist/).
 */
import { parseManifest, type Manifest } from '@qiview/sdk';

/** One plugin the app can run. */
export interface CatalogueEntry {
  manifest: Manifest;
  /** URL of its folder (bundle, models). */
  baseUrl: string;
}

/** The loaded catalogue; plugins whose manifest is unreadable or invalid are listed in `errors`, never fatal. */
export interface Catalogue {
  entries: CatalogueEntry[];
  errors: string[];
  /** URL of the worker runtime folder. */
  runtimeUrl: string;
}

/** Default root of the served plugins, relative to the page. */
export function pluginsRoot(): string {
  return new URL('plugins/', globalThis.location.href).href;
}

/** Loads the catalogue from `root` (default {@link pluginsRoot}). Rejects only when the index itself is unreadable. */
export async function loadCatalogue(
  root: string = pluginsRoot(),
  fetchFn: typeof fetch = fetch,
): Promise<Catalogue> {
  const base = root.endsWith('/') ? root : `${root}/`;
  const res = await fetchFn(new URL('index.json', base).href);
  if (!res.ok) throw new Error(`plugin index: HTTP ${res.status}`);
  const index = (await res.json()) as { plugins?: unknown };
  const ids = Array.isArray(index.plugins)
    ? index.plugins.filter((x): x is string => typeof x === 'string')
    : [];
  const errors: string[] = [];
  const entries = (
    await Promise.all(
      ids.map(async (id): Promise<CatalogueEntry | undefined> => {
        const baseUrl = new URL(`${encodeURIComponent(id)}/`, base).href;
        try {
          const r = await fetchFn(new URL('manifest.json', baseUrl).href);
          if (!r.ok) throw new Error(`HTTP ${r.status}`);
          const check = parseManifest(await r.json());
          if (!check.ok) throw new Error(check.errors.join('; '));
          return { manifest: check.manifest, baseUrl };
        } catch (e) {
          errors.push(`${id}: ${e instanceof Error ? e.message : String(e)}`);
          return undefined;
        }
      }),
    )
  ).filter((e): e is CatalogueEntry => e !== undefined);
  return { entries, errors, runtimeUrl: new URL('.runtime/', base).href };
}

/** A manifest string in `locale`, falling back to English, then to `fallback`. */
export function manifestString(manifest: Manifest, locale: string, key: string, fallback = ''): string {
  const strings = manifest.strings as Record<string, Record<string, string> | undefined>;
  return strings[locale]?.[key] ?? strings.en?.[key] ?? fallback;
}
