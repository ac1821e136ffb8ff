/**
 * An Enhanced CT (multi-frame) phantom: one instance whose frames carry their geometry and rescale in functional
 * groups (PlanePositionSequence per frame; PlaneOrientationSequence and PixelMeasuresSequence shared;
 * PixelValueTransformationSequence per frame; FrameContentSequence with TemporalPositionIndex for 4D). Frames are
 * written in a scrambled order so only the functional groups give the right one.
 *
 * @packageDocumentation
 */
import { TS, writePart10, type WriteElement } from './ct-part10-writer';
import { ctSeriesExpectedHu } from './ct-series';

/** Options of {@link ctEnhancedInstance}. */
export interface CtEnhancedOptions {
  /** [columns, rows, slices]; default [24, 20, 6]. */
  dims?: [number, number, number];
  /** Temporal positions (4D when > 1); default 1. */
  timepoints?: number;
  /** Slice spacing mm; default 3. */
  sliceSpacing?: number;
}

/**
 * Writes the instance. Voxel value of temporal position t (0-based) = phantom HU + 10·t; each frame's stored values
 * use its own RescaleSlope (1 or 2, alternating) so a reader must apply the per-frame transformation.
 */
export function ctEnhancedInstance(o: CtEnhancedOptions = {}): { bytes: Uint8Array; expected: Int16Array } {
  const [nx, ny, nz] = o.dims ?? [24, 20, 6];
  const nt = o.timepoints ?? 1;
  const dz = o.sliceSpacing ?? 3;
  const slice = ctSeriesExpectedHu({ dims: [nx, ny, 1], spacing: [1, 1, dz] });
  const expected = new Int16Array(nx * ny * nz * nt);
  const frames: Array<{ t: number; k: number }> = [];
  for (let t = 0; t < nt; t++) for (let k = 0; k < nz; k++) frames.push({ t, k });
  // scramble: reverse, then interleave halves
  frames.reverse();
  const order = [...frames.filter((_, i) => i % 2 === 0), ...frames.filter((_, i) => i % 2 === 1)];
  const pixels = new Uint8Array(order.length * nx * ny * 2);
  const dv = new DataView(pixels.buffer);
  const perFrame: WriteElement[][] = [];
  order.forEach(({ t, k }, f) => {
    const slope = (t + k) % 2 === 0 ? 1 : 2;
    const intercept = -1024;
    for (let p = 0; p < nx * ny; p++) {
      const hu = slice[p] + 10 * t;
      expected[t * nx * ny * nz + k * nx * ny + p] = hu;
      dv.setUint16(2 * (f * nx * ny + p), (hu - intercept) / slope, true);
    }
    perFrame.push([
      { tag: 0x00209111, vr: 'SQ', value: [[{ tag: 0x00209128, vr: 'UL', value: t + 1 }]] },
      {
        tag: 0x00209113,
        vr: 'SQ',
        value: [[{ tag: 0x00200032, vr: 'DS', value: `-12\\-10\\${k * dz - 50}` }]],
      },
      {
        tag: 0x00289145,
        vr: 'SQ',
        value: [
          [
            { tag: 0x00281052, vr: 'DS', value: String(intercept) },
            { tag: 0x00281053, vr: 'DS', value: String(slope) },
            { tag: 0x00281054, vr: 'LO', value: 'HU' },
          ],
        ],
      },
    ]);
  });
  const shared: WriteElement[] = [
    { tag: 0x00209116, vr: 'SQ', value: [[{ tag: 0x00200037, vr: 'DS', value: '1\\0\\0\\0\\1\\0' }]] },
    {
      tag: 0x00289110,
      vr: 'SQ',
      value: [
        [
          { tag: 0x00180050, vr: 'DS', value: String(dz) },
          { tag: 0x00280030, vr: 'DS', value: '1\\1' },
        ],
      ],
    },
  ];
  const el: WriteElement[] = [
    { tag: 0x00080008, vr: 'CS', value: 'ORIGINAL\\PRIMARY\\AXIAL' },
    { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2.1' },
    { tag: 0x00080018, vr: 'UI', value: '1.2.826.0.1.3680043.10.1.7.1' },
    { tag: 0x00080060, vr: 'CS', value: 'CT' },
    { tag: 0x00100020, vr: 'LO', value: 'PHANTOM-ECT' },
    { tag: 0x0020000d, vr: 'UI', value: '1.2.826.0.1.3680043.10.1.7' },
    { tag: 0x0020000e, vr: 'UI', value: '1.2.826.0.1.3680043.10.1.7.0' },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280008, vr: 'IS', value: String(order.length) },
    { tag: 0x00280010, vr: 'US', value: ny },
    { tag: 0x00280011, vr: 'US', value: nx },
    { tag: 0x00280100, vr: 'US', value: 16 },
    { tag: 0x00280101, vr: 'US', value: 16 },
    { tag: 0x00280102, vr: 'US', value: 15 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    { tag: 0x52009229, vr: 'SQ', value: [shared] },
    { tag: 0x52009230, vr: 'SQ', value: perFrame },
    { tag: 0x7fe00010, vr: 'OW', value: pixels },
  ];
  return { bytes: writePart10(el, { transferSyntaxUid: TS.explicitLE }), expected };
}
