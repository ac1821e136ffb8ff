/**
 * Moves a phantom volume rigidly in patient space without touching its voxels: only the DICOM-style geometry (origin,
 * direction) changes, so a registration test keeps exact truth. p → R·p + shift with R = Rz(turn)·Rx(tilt), angles in
 * degrees (tilt about the left-right axis, turn about the craniocaudal axis), shift in LPS mm.
 *
 * @packageDocumentation
 */
import type { Direction, Vec3, Volume } from '@qiview/sdk';

/** How to move the phantom. */
export interface RigidMove {
  tiltDeg: number;
  turnDeg: number;
  shift: Vec3;
}

function mul(a: number[], b: number[]): number[] {
  const o: number[] = [];
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++)
      o.push(a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!);
  return o;
}

/** Moves `volume` in place (its geometry) and returns it. */
export function moveRigidly<V extends Volume>(volume: V, m: RigidMove): V {
  const [ax, az] = [(m.tiltDeg * Math.PI) / 180, (m.turnDeg * Math.PI) / 180];
  const rx = [1, 0, 0, 0, Math.cos(ax), -Math.sin(ax), 0, Math.sin(ax), Math.cos(ax)];
  const rz = [Math.cos(az), -Math.sin(az), 0, Math.sin(az), Math.cos(az), 0, 0, 0, 1];
  const r = mul(rz, rx);
  const rot = (v: readonly number[]) =>
    [0, 1, 2].map((i) => r[i * 3]! * v[0]! + r[i * 3 + 1]! * v[1]! + r[i * 3 + 2]! * v[2]!);
  const g = volume.geometry;
  const d = g.direction;
  volume.geometry = {
    ...g,
    origin: rot(g.origin).map((v, i) => v + m.shift[i]!) as Vec3,
    direction: [...rot(d.slice(0, 3)), ...rot(d.slice(3, 6)), ...rot(d.slice(6, 9))] as Direction,
  };
  return volume;
}
