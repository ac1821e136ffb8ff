/**
 * The plugin manifest (`manifest.json` at the root of every plugin): who the plugin is, which SDK it was built
 * against, which series it needs, which models it ships, what it may do, and its translated strings.
 * Validated with {@link parseManifest} by the host before any plugin code is loaded.
 *
 * @packageDocumentation
 */
import semver from 'semver';
import { z } from 'zod';
import { SDK_VERSION } from './version';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,62}[a-z0-9]$/, 'lower-case letters, digits, "." and "-", 3-64 characters');

/** A rule on one DICOM attribute (by keyword): the value must equal one of `equals`, or match `pattern`. */
export const attributeRuleSchema = z
  .object({
    /** DICOM keyword, e.g. 'Modality', 'BodyPartExamined', 'SeriesDescription', 'ImageType'. */
    attribute: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/),
    /** Case-insensitive exact values (for multi-valued attributes like ImageType: any value may match). */
    equals: z.array(z.string()).optional(),
    /** Case-insensitive regular expression. */
    pattern: z.string().optional(),
    /** When true, the rule must NOT match. */
    not: z.boolean().optional(),
  })
  .refine((r) => r.equals !== undefined || r.pattern !== undefined, 'a rule needs "equals" or "pattern"');

/** One input the plugin needs (e.g. the ASL series, its M0, a T1w). */
export const inputSchema = z.object({
  /** Role key, used in {@link AnalysisInput.series}. */
  role: z.string().regex(/^[a-z][a-z0-9_]*$/),
  required: z.boolean().default(true),
  /** Every rule must hold for a series to match. */
  rules: z.array(attributeRuleSchema).min(1),
  /** Minimum number of slices (e.g. refuse single slices for a volumetric analysis). */
  minSlices: z.number().int().positive().optional(),
  /** 4D input (frames > 1) expected. */
  multiFrame: z.boolean().optional(),
  /** Accept NIfTI input (matched by `bidsSuffix`, e.g. 'asl', 'm0scan', 'T1w'). */
  bidsSuffix: z.string().optional(),
});

/** A model the plugin ships. */
export const modelSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** Path inside the plugin folder/package, e.g. 'models/lung-unet.onnx'. */
  file: z.string().regex(/^(?!\/)(?!.*\.\.)[\w./-]+\.onnx$/, 'relative path to an .onnx file, no ".."'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  opset: z.number().int().min(7).max(30),
  inputs: z.array(z.object({ name: z.string(), shape: z.array(z.union([z.number().int(), z.string()])) })),
  outputs: z.array(z.object({ name: z.string(), shape: z.array(z.union([z.number().int(), z.string()])) })),
  /** Path of the model card (markdown) inside the plugin. */
  card: z.string().optional(),
});

/** What a plugin may do beyond pure computation. Nothing is granted unless declared and accepted. */
export const permissionSchema = z.enum([
  /** Read the full DICOM header of inputs, including patient identifiers. Without it, identifiers are removed. */
  'read-patient-identifiers',
  /** Use ONNX models declared in `models`. */
  'models',
  /** Use itk-wasm registration. */
  'registration',
  /** Read prior results of the same patient. */
  'priors',
]);

/** A user parameter with its default (editable in the UI and with `--param key=value` on the CLI). */
export const parameterSchema = z.object({
  key: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
  type: z.enum(['number', 'string', 'boolean', 'enum']),
  default: z.union([z.number(), z.string(), z.boolean(), z.null()]),
  unit: z.string().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  options: z.array(z.string()).optional(),
});

const localeStrings = z.record(z.string(), z.string());

/** The manifest schema. */
export const manifestSchema = z.object({
  /** Reverse-DNS-like unique id, e.g. 'org.qiview.asl-perfusion'. */
  id,
  /** Plugin version (semver). */
  version: z.string().refine((v) => semver.valid(v) !== null, 'must be a semver version like 1.2.3'),
  /** SDK versions the plugin works with (semver range, e.g. '^0.1.0'). */
  apiVersion: z.string().refine((v) => semver.validRange(v) !== null, 'must be a semver range like ^0.1.0'),
  publisher: z.string().min(1),
  license: z.string().min(1),
  /** Entry file of the bundled code inside the package (ES module, default export = plugin). */
  main: z.string().regex(/^(?!\/)(?!.*\.\.)[\w./-]+\.m?js$/),
  inputs: z.array(inputSchema).min(1),
  models: z.array(modelSchema).default([]),
  permissions: z.array(permissionSchema).default([]),
  parameters: z.array(parameterSchema).default([]),
  /** Limits the host enforces. */
  limits: z
    .object({
      timeoutSeconds: z.number().positive().max(86400).default(600),
      memoryMb: z.number().int().positive().max(16384).default(2048),
    })
    .default({ timeoutSeconds: 600, memoryMb: 2048 }),
  /**
   * Translated strings by locale: must contain `name` and `description` for 'en' and 'zh-CN'; may contain
   * measurement names by key and any other UI text.
   */
  strings: z
    .object({ en: localeStrings, 'zh-CN': localeStrings })
    .refine((s) => ['name', 'description'].every((k) => s.en[k] && s['zh-CN'][k]), {
      message: 'strings.en and strings["zh-CN"] must both define "name" and "description"',
    }),
});

/** A validated manifest. */
export type Manifest = z.infer<typeof manifestSchema>;
/** One input declaration. */
export type ManifestInput = z.infer<typeof inputSchema>;
/** One attribute rule. */
export type AttributeRule = z.infer<typeof attributeRuleSchema>;
/** One model declaration. */
export type ManifestModel = z.infer<typeof modelSchema>;
/** One permission. */
export type Permission = z.infer<typeof permissionSchema>;

/** Result of {@link parseManifest}. */
export type ManifestCheck = { ok: true; manifest: Manifest } | { ok: false; errors: string[] };

/**
 * Validates a manifest (parsed JSON) and checks that its `apiVersion` range accepts this SDK version.
 * Errors are human-readable, one per problem, with the field path.
 */
export function parseManifest(json: unknown, sdkVersion: string = SDK_VERSION): ManifestCheck {
  const r = manifestSchema.safeParse(json);
  if (!r.success) {
    return {
      ok: false,
      errors: r.error.issues.map((i) => `${i.path.join('.') || '(manifest)'}: ${i.message}`),
    };
  }
  if (!semver.satisfies(sdkVersion, r.data.apiVersion, { includePrerelease: true })) {
    return {
      ok: false,
      errors: [`apiVersion: plugin needs SDK ${r.data.apiVersion}, this Qiview provides ${sdkVersion}`],
    };
  }
  return { ok: true, manifest: r.data };
}

/**
 * The values of one attribute as series rules see them: an array's items, or a string split at `\\` (DICOM
 * multi-values), each trimmed, blanks dropped; none for an absent attribute.
 */
export function attributeValues(raw: unknown): string[] {
  return (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : String(raw).split('\\'))
    .map((v) => String(v).trim())
    .filter((v) => v.length > 0);
}

/**
 * Whether a series' DICOM attributes satisfy every rule of an input. Multi-valued attributes (arrays, or strings
 * with backslashes like ImageType) match when any value matches.
 */
export function matchesInput(input: ManifestInput, attributes: Record<string, unknown>): boolean {
  return input.rules.every((rule) => {
    const raw = attributes[rule.attribute];
    const values = attributeValues(raw);
    const whole = Array.isArray(raw) ? raw.join('\\') : raw === undefined || raw === null ? '' : String(raw);
    let hit = false;
    if (rule.equals) hit = values.some((v) => rule.equals!.some((e) => e.toLowerCase() === v.toLowerCase()));
    if (!hit && rule.pattern !== undefined) {
      const re = new RegExp(rule.pattern, 'i');
      hit = re.test(whole) || values.some((v) => re.test(v));
    }
    return rule.not ? !hit : hit;
  });
}
