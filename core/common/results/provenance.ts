/**
 * Provenance of a result: which plugin and models made it from which inputs, so a result can always be traced and
 * reproduced. Written into the JSON and CSV outputs and (as algorithm identification) into DICOM SR/SEG.
 *
 * @packageDocumentation
 */
import { SDK_VERSION } from '@qiview/sdk';
import type { Manifest } from '@qiview/sdk';
import type { AlgorithmIdentification } from './write-sr';

/** One model used by the run. */
export interface ModelProvenance {
  id: string;
  /** Model version when the plugin declares one (the manifest's model card / file name otherwise). */
  version?: string;
  sha256: string;
  file?: string;
}

/** Everything needed to trace a result back to code, models and inputs. */
export interface ResultProvenance {
  pluginId: string;
  pluginVersion: string;
  models: ModelProvenance[];
  /** SeriesInstanceUIDs of the inputs, by manifest role. */
  inputSeries: Record<string, string>;
  sdkVersion: string;
  /** ISO 8601 UTC time the run finished. */
  timestamp: string;
  /** Application that ran it (e.g. `qiview 0.1.0 (cli)`), when known. */
  host?: string;
  /** Parameters the run was given (after defaults), JSON-serialisable. */
  parameters?: Record<string, unknown>;
}

/** Builds the provenance of a run from the plugin manifest and its inputs. */
export function provenanceFromManifest(
  manifest: Pick<Manifest, 'id' | 'version' | 'models'>,
  inputSeries: Record<string, string>,
  options: {
    timestamp?: Date;
    host?: string;
    parameters?: Record<string, unknown>;
    modelVersions?: Record<string, string>;
  } = {},
): ResultProvenance {
  const p: ResultProvenance = {
    pluginId: manifest.id,
    pluginVersion: manifest.version,
    models: manifest.models.map((m) => {
      const out: ModelProvenance = { id: m.id, sha256: m.sha256, file: m.file };
      const v = options.modelVersions?.[m.id];
      if (v) out.version = v;
      return out;
    }),
    inputSeries,
    sdkVersion: SDK_VERSION,
    timestamp: (options.timestamp ?? new Date()).toISOString(),
  };
  if (options.host) p.host = options.host;
  if (options.parameters) p.parameters = options.parameters;
  return p;
}

/** The SR/SEG algorithm identification for a provenance (models and SDK as parameters). */
export function algorithmIdentification(p: ResultProvenance): AlgorithmIdentification {
  return {
    name: p.pluginId,
    version: p.pluginVersion,
    parameters: [
      ...p.models.map((m) => `model ${m.id}${m.version ? ' ' + m.version : ''} sha256:${m.sha256}`),
      `sdk ${p.sdkVersion}`,
    ],
  };
}

/** Compact model list for a CSV cell: `id@version:sha256-prefix;…`. */
export function modelsCell(models: ModelProvenance[]): string {
  return models.map((m) => `${m.id}${m.version ? '@' + m.version : ''}:${m.sha256.slice(0, 12)}`).join(';');
}
