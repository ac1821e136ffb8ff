/**
 * What the lung fibrosis plugin must report on a chest phantom: its own metric definitions (plugins/lung-fibrosis
 * quantify, zones) applied to the phantom's CT with the truth texture, inside given lung and zone masks.
 */
import type { Kernels } from '@qiview/sdk';
import { quantify, type RegionStats } from '../../plugins/lung-fibrosis/quantify';
import { computeZones } from '../../plugins/lung-fibrosis/zones';
import type { ChestPhantom } from '../phantoms/chest-phantom';

/** Region statistics of the phantom's CT and truth texture inside `lungs` and `zones` (e.g. read back from SEGs). */
export function phantomRegionStats(ph: ChestPhantom, lungs: Uint8Array, zones: Uint8Array): RegionStats[] {
  const s = ph.volume.geometry.spacing;
  return quantify(ph.volume.data, lungs, zones, ph.truth.texture, (s[0] * s[1] * s[2]) / 1000);
}

/** The plugin's zones of the truth lung mask, and the region statistics inside the truth lungs and those zones. */
export function phantomTruth(
  ph: ChestPhantom,
  kernels: Kernels,
): { zones: Uint8Array; stats: RegionStats[] } {
  const zones = computeZones(ph.truth.lungs, ph.volume.geometry, kernels);
  return { zones, stats: phantomRegionStats(ph, ph.truth.lungs, zones) };
}
