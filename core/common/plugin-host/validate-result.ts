import type { AnalysisResult, Geometry } from '@qiview/sdk';
import { affineProblem } from '../itk/affine-point';

const finite = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);

function geometryProblems(where: string, g: Geometry | undefined): string[] {
  if (!g) return [`${where}: geometry missing`];
  const p: string[] = [];
  if (
    !Array.isArray(g.dimensions) ||
    g.dimensions.length !== 3 ||
    !g.dimensions.every((d) => Number.isInteger(d) && d > 0)
  ) {
    p.push(`${where}: dimensions must be three positive integers`);
  }
  if (!Array.isArray(g.spacing) || g.spacing.length !== 3 || !g.spacing.every((s) => finite(s) && s > 0)) {
    p.push(`${where}: spacing must be three positive finite numbers`);
  }
  if (!Array.isArray(g.origin) || g.origin.length !== 3 || !g.origin.every(finite))
    p.push(`${where}: origin must be finite`);
  if (!Array.isArray(g.direction) || g.direction.length !== 9 || !g.direction.every(finite)) {
    p.push(`${where}: direction must be nine finite numbers`);
  }
  return p;
}

const voxels = (g: Geometry) => g.dimensions[0] * g.dimensions[1] * g.dimensions[2];

/**
 * Checks a plugin result before the host trusts it: required arrays present, labelmaps are Uint8Array of exactly
 * nx·ny·nz with declared segment labels 1..255, maps are Float32Array of nx·ny·nz·frames, measurement values and
 * plot values finite, registrations (SDK 0.1.1) between two different known input roles with 12 finite numbers and an
 * invertible A. `roles` are the manifest's input roles (registrations naming others are refused); without them any
 * non-empty role name passes. Returns one readable problem per violation (empty when valid).
 */
export function validateResult(r: unknown, roles?: readonly string[]): string[] {
  if (typeof r !== 'object' || r === null) return ['result is not an object'];
  const res = r as Partial<AnalysisResult>;
  const p: string[] = [];
  for (const k of ['labelmaps', 'maps', 'measurements', 'findings'] as const) {
    if (!Array.isArray(res[k])) p.push(`${k} must be an array`);
  }
  if (p.length) return p;
  res.labelmaps!.forEach((l, i) => {
    const w = `labelmaps[${i}] (${l?.id})`;
    const gp = geometryProblems(w, l?.geometry);
    p.push(...gp);
    if (!(l?.data instanceof Uint8Array)) p.push(`${w}: data must be a Uint8Array`);
    else if (!gp.length && l.data.length !== voxels(l.geometry)) {
      p.push(
        `${w}: ${l.data.length} labels for a ${l.geometry.dimensions.join('×')} grid (${voxels(l.geometry)} voxels)`,
      );
    }
    if (!Array.isArray(l?.segments)) p.push(`${w}: segments must be an array`);
    else
      for (const s of l.segments) {
        if (!Number.isInteger(s.label) || s.label < 1 || s.label > 255)
          p.push(`${w}: segment label ${s.label} outside 1..255`);
      }
  });
  res.maps!.forEach((m, i) => {
    const w = `maps[${i}] (${m?.id})`;
    const gp = geometryProblems(w, m?.volume?.geometry);
    p.push(...gp);
    if (!(m?.volume?.data instanceof Float32Array)) p.push(`${w}: data must be a Float32Array`);
    else if (!gp.length && m.volume.data.length !== voxels(m.volume.geometry) * (m.volume.frames || 1)) {
      p.push(`${w}: ${m.volume.data.length} values for a ${m.volume.geometry.dimensions.join('×')} grid`);
    }
  });
  res.measurements!.forEach((m, i) => {
    if (typeof m?.key !== 'string' || !m.key) p.push(`measurements[${i}]: key missing`);
    if (!finite(m?.value))
      p.push(`measurements[${i}] (${m?.key}): value ${String(m?.value)} is not a finite number`);
    if (m?.uncertainty !== undefined && !finite(m.uncertainty))
      p.push(`measurements[${i}] (${m.key}): uncertainty not finite`);
  });
  res.findings!.forEach((f, i) => {
    if (typeof f !== 'string') p.push(`findings[${i}] is not a string`);
  });
  for (const [k, v] of Object.entries(res.qc?.metrics ?? {}))
    if (!finite(v)) p.push(`qc.metrics.${k} is not finite`);
  (res.plots ?? []).forEach((pl, i) => {
    pl.series.forEach((s) => {
      if (s.y.length !== pl.x.length)
        p.push(`plots[${i}] (${pl.id}): series "${s.name}" has ${s.y.length} y for ${pl.x.length} x`);
      if (!s.y.every(finite)) p.push(`plots[${i}] (${pl.id}): series "${s.name}" has non-finite values`);
    });
  });
  (res.points ?? []).forEach((pt, i) => {
    if (!Array.isArray(pt.position) || !pt.position.every(finite))
      p.push(`points[${i}] (${pt.name}): position not finite`);
  });
  if (res.registrations !== undefined && !Array.isArray(res.registrations))
    p.push('registrations must be an array');
  else
    (res.registrations ?? []).forEach((g, i) => {
      const w = `registrations[${i}]`;
      for (const k of ['fixedRole', 'movingRole'] as const) {
        const role: unknown = g?.[k];
        if (typeof role !== 'string' || !role) p.push(`${w}: ${k} missing`);
        else if (roles && !roles.includes(role))
          p.push(`${w}: ${k} "${role}" is not an input role (${roles.join(', ')})`);
      }
      if (g?.fixedRole === g?.movingRole) p.push(`${w}: fixedRole and movingRole are the same`);
      if (typeof g?.method !== 'string') p.push(`${w}: method missing`);
      const problem = affineProblem(g?.matrix);
      if (problem) p.push(`${w}: matrix ${problem}`);
    });
  return p;
}
