import type { Manifest } from '@qiview/sdk';

/** Result of {@link resolveParameters}. */
export type ParameterCheck =
  { ok: true; parameters: Record<string, unknown> } | { ok: false; errors: string[] };

/**
 * Fills manifest defaults and validates user values (type, min/max, enum options; numeric strings such as CLI
 * `--param k=3` are converted). Unknown keys are errors. `null` is accepted (kept as "not set") where the manifest
 * default is `null`, so the output of this function validates again unchanged.
 */
export function resolveParameters(
  manifest: Pick<Manifest, 'parameters'>,
  given: Record<string, unknown> = {},
): ParameterCheck {
  const out: Record<string, unknown> = {};
  const errors: string[] = [];
  const known = new Set(manifest.parameters.map((p) => p.key));
  for (const k of Object.keys(given)) if (!known.has(k)) errors.push(`unknown parameter "${k}"`);
  for (const p of manifest.parameters) {
    let v = given[p.key];
    // null means "not set" for a parameter whose default is null (e.g. a PLD read from the header when present):
    // resolved parameters passed through again (batch → worker) keep validating
    if (v === undefined || (v === null && p.default === null)) {
      out[p.key] = p.default;
      continue;
    }
    if (p.type === 'number') {
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isFinite(n)) {
        errors.push(`parameter "${p.key}" must be a finite number, got ${JSON.stringify(v)}`);
        continue;
      }
      if (p.min !== undefined && n < p.min) errors.push(`parameter "${p.key}" = ${n} is below ${p.min}`);
      if (p.max !== undefined && n > p.max) errors.push(`parameter "${p.key}" = ${n} is above ${p.max}`);
      v = n;
    } else if (p.type === 'boolean') {
      if (v === 'true' || v === 'false') v = v === 'true';
      if (typeof v !== 'boolean')
        errors.push(`parameter "${p.key}" must be true or false, got ${JSON.stringify(v)}`);
    } else if (p.type === 'enum') {
      if (typeof v !== 'string' || !(p.options ?? []).includes(v)) {
        errors.push(
          `parameter "${p.key}" must be one of ${(p.options ?? []).join(', ')}, got ${JSON.stringify(v)}`,
        );
      }
    } else if (typeof v !== 'string') {
      errors.push(`parameter "${p.key}" must be a string, got ${JSON.stringify(v)}`);
    }
    out[p.key] = v;
  }
  return errors.length ? { ok: false, errors } : { ok: true, parameters: out };
}
