/**
 * Synthetic chest CT with exact truth, for the lung fibrosis plugin.
 *
 * Anatomy (LPS mm, origin at the volume centre, identity direction: i → patient left, j → posterior, k → superior):
 * - body: elliptic cylinder 165 × 120 mm, subcutaneous fat ring (−100 HU), soft tissue (40 HU), a rib-like bony
 *   band (500 HU, 10 mm ribs every 24 mm in z) with intercostal muscle, a vertebra (300 HU) and a heart (40 HU);
 * - two lungs (−850 HU), ellipsoids clipped by the thoracic cavity, the mediastinum (|x| < 20 mm), the heart, the
 *   spine and domed diaphragms;
 * - trachea (lumen r 9 mm, wall to 11 mm) down to the carina at z = 45 mm, then two main bronchi (lumen r 6 mm, wall
 *   to 7.5 mm) entering each hilum; airway lumen and wall are NOT lung in the truth;
 * - texture classes inside the lungs: emphysema spheres in the upper zones (−975 HU, so below −950), ground glass
 *   spheres (−520 HU) anteriorly in the middle zone, a posterior basal subpleural band (within 16 mm of the pleura)
 *   of reticular fibrosis (a 6 mm lattice of −130 HU septa over −450 HU parenchyma) that touches the chest wall, and
 *   inside it, within 9 mm of the pleura, honeycombing (box cysts of air 5.2 mm wide with dense −80 HU walls).
 * White Gaussian noise (σ = `noise`, default 25 HU) on every voxel, seeded, then rounded to Int16.
 *
 * @packageDocumentation
 */
import type { Vec3, Volume } from '@qiview/sdk';

/** Texture class codes used in the truth (the plugin's texture labelmap uses the same values). */
export const TEXTURE = { normal: 1, groundGlass: 2, reticular: 3, honeycombing: 4, emphysema: 5 } as const;

/** Options of {@link chestPhantom}. */
export interface ChestPhantomOptions {
  /** Voxel counts; default [224, 168, 150]. */
  dims?: Vec3;
  /** Voxel spacing in mm; default [1.6, 1.6, 1.6]. */
  spacing?: Vec3;
  /** Noise SD in HU; default 25. */
  noise?: number;
  /** RNG seed; default 7. */
  seed?: number;
  /** Leave out all pathology (healthy lungs); default false. */
  healthy?: boolean;
}

/** The phantom and its truth. */
export interface ChestPhantom {
  volume: Volume & { data: Int16Array };
  truth: {
    /** 0 = not lung, 1 = right lung, 2 = left lung. */
    lungs: Uint8Array;
    /** 0 outside the lungs, else a {@link TEXTURE} code. */
    texture: Uint8Array;
    /** 1 on airway lumen and wall. */
    airway: Uint8Array;
  };
  /** Truth values computed from the voxels inside the truth lung mask. */
  expected: {
    lungVoxels: number;
    volumeMl: { right: number; left: number };
    /** % of lung voxels in [−600, −250] HU. */
    haaPct: number;
    /** % of lung voxels below −950 HU. */
    laa950Pct: number;
    /** (reticular + honeycombing) voxels as % of lung voxels. */
    fibrosisPct: number;
    /** voxels per texture class. */
    classVoxels: Record<number, number>;
  };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function segmentDistance(p: Vec3, a: Vec3, b: Vec3): number {
  const ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const ap = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
  const len2 = ab[0] * ab[0] + ab[1] * ab[1] + ab[2] * ab[2];
  const t = Math.max(0, Math.min(1, (ap[0] * ab[0] + ap[1] * ab[1] + ap[2] * ab[2]) / len2));
  const dx = ap[0] - t * ab[0],
    dy = ap[1] - t * ab[1],
    dz = ap[2] - t * ab[2];
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}

const mod = (v: number, m: number) => ((v % m) + m) % m;

/** Builds the phantom. Deterministic for given options. */
export function chestPhantom(options: ChestPhantomOptions = {}): ChestPhantom {
  const dims = options.dims ?? [224, 168, 150];
  const spacing = options.spacing ?? [1.6, 1.6, 1.6];
  const noise = options.noise ?? 25;
  const healthy = options.healthy ?? false;
  const rand = mulberry32(options.seed ?? 7);
  const [nx, ny, nz] = dims;
  const n = nx * ny * nz;
  const origin: Vec3 = [
    (-(nx - 1) / 2) * spacing[0],
    (-(ny - 1) / 2) * spacing[1],
    (-(nz - 1) / 2) * spacing[2],
  ];
  const data = new Int16Array(n);
  const lungs = new Uint8Array(n);
  const texture = new Uint8Array(n);
  const airway = new Uint8Array(n);

  const bodyA = 165,
    bodyB = 120;
  const cavA = 130,
    cavB = 95;
  const carina: Vec3 = [0, -15, 45];
  const trachTop: Vec3 = [0, -15, 400];
  const bronchR: Vec3 = [-55, 0, 10];
  const bronchL: Vec3 = [55, 0, 10];
  const emph: Array<[Vec3, number]> = [
    [[-72, 15, 65], 20],
    [[72, 15, 65], 20],
  ];
  const ggo: Array<[Vec3, number]> = [
    [[-85, -35, 5], 22],
    [[85, -40, -5], 18],
  ];
  const inSphere = (p: Vec3, c: Vec3, r: number) =>
    (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2 + (p[2] - c[2]) ** 2 <= r * r;

  let gaussSpare: number | null = null;
  const gauss = () => {
    if (gaussSpare !== null) {
      const g = gaussSpare;
      gaussSpare = null;
      return g;
    }
    const u = Math.max(rand(), 1e-12),
      v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    gaussSpare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };

  const p: Vec3 = [0, 0, 0];
  for (let k = 0; k < nz; k++) {
    const z = origin[2] + k * spacing[2];
    const rib = mod(z + 200, 24) < 10;
    for (let j = 0; j < ny; j++) {
      const y = origin[1] + j * spacing[1];
      for (let i = 0; i < nx; i++) {
        const x = origin[0] + i * spacing[0];
        const idx = i + nx * (j + ny * k);
        p[0] = x;
        p[1] = y;
        p[2] = z;
        const rb = Math.sqrt((x / bodyA) ** 2 + (y / bodyB) ** 2);
        let v: number;
        if (rb > 1) v = -1000;
        else if (rb > 0.9) v = -100;
        else if (rb > 0.8) v = rb < 0.86 && rib ? 500 : 40;
        else {
          v = 40;
          const rc = Math.sqrt((x / cavA) ** 2 + (y / cavB) ** 2);
          // distance to the cavity wall along the ray from the centre
          const theta = Math.atan2(y, x);
          const rayLen = 1 / Math.sqrt((Math.cos(theta) / cavA) ** 2 + (Math.sin(theta) / cavB) ** 2);
          const dPleura = (1 - rc) * rayLen;
          const side = x < 0 ? -1 : 1;
          const cx = side * 70;
          const inLungShape =
            rc <= 1 &&
            Math.abs(x) >= 20 &&
            ((x - cx) / 62) ** 2 + ((y - 5) / 90) ** 2 + (z / 115) ** 2 <= 1 &&
            !((x - 20) ** 2 / 62 ** 2 + (y + 25) ** 2 / 48 ** 2 + (z + 45) ** 2 / 55 ** 2 <= 1) &&
            x * x + (y - 85) ** 2 > 30 * 30 &&
            z > -95 + 35 * Math.max(0, 1 - ((Math.abs(x) - 65) / 60) ** 2 - (y / 80) ** 2);
          if (Math.abs(x) < 20 && y < -40 && rc <= 1) v = -90; // anterior mediastinal fat
          if (x * x + (y - 85) ** 2 <= 22 * 22) v = 300; // vertebral body
          const dTrachea = segmentDistance(p, trachTop, carina);
          const dBronch = Math.min(segmentDistance(p, carina, bronchR), segmentDistance(p, carina, bronchL));
          const lumen = dTrachea <= 9 || dBronch <= 6;
          const wall = !lumen && (dTrachea <= 11 || dBronch <= 7.5);
          if (lumen || wall) {
            airway[idx] = 1;
            v = lumen ? -1000 : 40;
          } else if (inLungShape) {
            lungs[idx] = side < 0 ? 1 : 2;
            let t: number = TEXTURE.normal;
            v = -850;
            if (!healthy) {
              if (emph.some(([c, r]) => inSphere(p, c, r))) {
                t = TEXTURE.emphysema;
                v = -975;
              }
              if (ggo.some(([c, r]) => inSphere(p, c, r))) {
                t = TEXTURE.groundGlass;
                v = -520;
              }
              if (dPleura < 16 && z < -10 && y > 5) {
                t = TEXTURE.reticular;
                const septum = mod(x, 6) < 1.5 || mod(y, 6) < 1.5 || mod(z, 6) < 1.5;
                v = septum ? -130 : -450;
                if (dPleura < 9 && z < -40 && y > 30) {
                  t = TEXTURE.honeycombing;
                  const qx = Math.abs(mod(x, 7) - 3.5),
                    qy = Math.abs(mod(y, 7) - 3.5),
                    qz = Math.abs(mod(z, 7) - 3.5);
                  v = Math.max(qx, qy, qz) <= 2.6 ? -1000 : -80;
                }
              }
            }
            texture[idx] = t;
          }
        }
        const val = Math.round(v + noise * gauss());
        data[idx] = Math.max(-1024, Math.min(3071, val));
      }
    }
  }

  let lungVoxels = 0,
    haa = 0,
    laa = 0,
    fib = 0,
    right = 0,
    left = 0;
  const classVoxels: Record<number, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  for (let q = 0; q < n; q++) {
    if (!lungs[q]) continue;
    lungVoxels++;
    if (lungs[q] === 1) right++;
    else left++;
    const v = data[q];
    if (v >= -600 && v <= -250) haa++;
    if (v < -950) laa++;
    const t = texture[q];
    classVoxels[t]++;
    if (t === TEXTURE.reticular || t === TEXTURE.honeycombing) fib++;
  }
  const voxMl = (spacing[0] * spacing[1] * spacing[2]) / 1000;
  return {
    volume: {
      geometry: { dimensions: [nx, ny, nz], spacing, origin, direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
      data,
      frames: 1,
      unit: 'HU',
      metadata: {
        modality: 'CT',
        bodyPartExamined: 'CHEST',
        seriesDescription: 'Qiview chest phantom',
        sliceThickness: spacing[2],
        tags: { ConvolutionKernel: 'STANDARD', KVP: 120 },
      },
      warnings: [],
    },
    truth: { lungs, texture, airway },
    expected: {
      lungVoxels,
      volumeMl: { right: right * voxMl, left: left * voxMl },
      haaPct: (100 * haa) / lungVoxels,
      laa950Pct: (100 * laa) / lungVoxels,
      fibrosisPct: (100 * fib) / lungVoxels,
      classVoxels,
    },
  };
}
