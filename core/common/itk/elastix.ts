/**
 * The environment-neutral part of the SDK's {@link RegistrationApi} through itk-wasm elastix, shared by the Node
 * implementation (core/node/itk/registration.ts, in the plugin worker) and the browser one
 * (core/browser/itk/registration.ts, on the page, answering the plugin worker over the protocol): SDK volume ↔ ITK
 * image, the parameter map settings, and the transform matrix read from elastix's transform parameter object.
 * Volumes are passed as float32 ITK images on their LPS grids (ITK's physical space is LPS too).
 */
import type { Direction, RegistrationApi, RegistrationTransform, Volume } from '@qiview/sdk';

/** The options of {@link RegistrationApi.register}. */
export type RegistrationOptions = Parameters<RegistrationApi['register']>[2];

/**
 * The fixed → moving point mapping of an elastix rigid (EulerTransform) or affine (AffineTransform) result as a 3 × 4
 * row-major [A | b]: moving = A·(x − c) + c + t = A·x + (c + t − A·c), c = CenterOfRotationPoint. Euler angles follow
 * ITK's Euler3DTransform with ComputeZYX false (elastix's default): A = Rz·Rx·Ry. Undefined for other transforms.
 */
export function transformMatrix(map: Record<string, string[] | undefined>): number[] | undefined {
  const kind = String(map.Transform?.[0] ?? '');
  const p = (map.TransformParameters ?? []).map(Number);
  const c = (map.CenterOfRotationPoint ?? ['0', '0', '0']).map(Number);
  let a: number[];
  let t: number[];
  if (kind === 'EulerTransform' && p.length === 6) {
    const zyx = String(map.ComputeZYX?.[0] ?? 'false') === 'true';
    const [cx, cy, cz] = [Math.cos(p[0]!), Math.cos(p[1]!), Math.cos(p[2]!)];
    const [sx, sy, sz] = [Math.sin(p[0]!), Math.sin(p[1]!), Math.sin(p[2]!)];
    const rx = [1, 0, 0, 0, cx, -sx, 0, sx, cx];
    const ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
    const rz = [cz, -sz, 0, sz, cz, 0, 0, 0, 1];
    a = zyx ? mul3(mul3(rz, ry), rx) : mul3(mul3(rz, rx), ry);
    t = p.slice(3, 6);
  } else if (kind === 'AffineTransform' && p.length === 12) {
    a = p.slice(0, 9);
    t = p.slice(9, 12);
  } else return undefined;
  const out: number[] = [];
  for (let r = 0; r < 3; r++) {
    const ac = a[r * 3]! * c[0]! + a[r * 3 + 1]! * c[1]! + a[r * 3 + 2]! * c[2]!;
    out.push(a[r * 3]!, a[r * 3 + 1]!, a[r * 3 + 2]!, c[r]! + t[r]! - ac);
  }
  return out;
}

function mul3(x: number[], y: number[]): number[] {
  const o: number[] = [];
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) {
      let v = 0;
      for (let k = 0; k < 3; k++) v += x[r * 3 + k]! * y[k * 3 + c]!;
      o.push(v);
    }
  return o;
}

/** The fields of an itk-wasm `Image` used here (float32 scalar 3-D). */
export type ItkImage = {
  imageType: { dimension: number; componentType: string; pixelType: string; components: number };
  name: string;
  origin: number[];
  spacing: number[];
  direction: Float64Array;
  size: number[];
  data: Float32Array;
  metadata: Map<string, unknown>;
};

/**
 * SDK direction (three unit vectors: i, j, k axes, each [x, y, z]) → ITK direction matrix, stored row-major with
 * column c = axis c, i.e. D[r·3 + c] = component r of axis c.
 */
export function toItkDirection(d: Direction): Float64Array {
  const m = new Float64Array(9);
  for (let c = 0; c < 3; c++) for (let r = 0; r < 3; r++) m[r * 3 + c] = d[c * 3 + r]!;
  return m;
}

/** A volume's first frame as a float32 ITK image (a copy). */
export function toItkImage(v: Volume, name: string): ItkImage {
  const n = v.geometry.dimensions[0] * v.geometry.dimensions[1] * v.geometry.dimensions[2];
  return {
    imageType: { dimension: 3, componentType: 'float32', pixelType: 'Scalar', components: 1 },
    name,
    origin: [...v.geometry.origin],
    spacing: [...v.geometry.spacing],
    direction: toItkDirection(v.geometry.direction),
    size: [...v.geometry.dimensions],
    data: Float32Array.from(v.data.subarray(0, n) as ArrayLike<number>),
    metadata: new Map(),
  };
}

/** Number of multiresolution levels asked of `defaultParameterMap` (same in Node and the browser). */
export const ELASTIX_RESOLUTIONS = 3;

/** Applies the options to a default parameter map (in place) and returns the parameter object elastix takes. */
export function elastixParameterObject(
  parameterMap: unknown,
  options: RegistrationOptions,
): Array<Record<string, unknown>> {
  const map = parameterMap as Record<string, unknown>;
  if (options.maxIterations) map.MaximumNumberOfIterations = [String(options.maxIterations)];
  map.ResultImagePixelType = ['float'];
  return [map];
}

/** The SDK result of an elastix run: the moving image resampled on the fixed grid, and the transform. */
export function registrationResult(
  fixed: Volume,
  moving: Volume,
  options: RegistrationOptions,
  result: unknown,
  transformParameterObject: unknown,
): { resampled: Volume; transform: RegistrationTransform } {
  const out = result as ItkImage;
  const tpo = transformParameterObject as Array<Record<string, string[]>>;
  const last = tpo[tpo.length - 1] ?? {};
  return {
    resampled: {
      ...fixed,
      data: Float32Array.from(out.data as ArrayLike<number>),
      frames: 1,
      unit: moving.unit,
      metadata: { ...moving.metadata },
      warnings: [],
    },
    transform: {
      kind: String(last.Transform?.[0] ?? options.kind),
      parameters: (last.TransformParameters ?? []).map(Number),
      matrix: tpo.length === 1 ? transformMatrix(last) : undefined,
    },
  };
}
