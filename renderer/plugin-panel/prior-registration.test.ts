import { describe, expect, it } from 'vitest';
import { emptyResult, type SeriesRegistration } from '@qiview/sdk';
import { priorRegistration } from './prior-registration';

const reg: SeriesRegistration = {
  fixedRole: 'ct',
  movingRole: 'prior',
  matrix: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 30],
  method: 'elastix rigid (itk-wasm)',
};
const run = (registrations?: SeriesRegistration[], roles = { ct: 'cur', prior: 'library:pri' }) => ({
  roles,
  seriesKey: 'cur',
  result: { ...emptyResult(), ...(registrations ? { registrations } : {}) },
});

describe('priorRegistration', () => {
  it("finds the registration of the run's prior onto its current series", () => {
    expect(priorRegistration(run([{ ...reg, movingRole: 'other' }, reg]))).toBe(reg);
  });
  it('finds none for a result without registrations (SDK 0.1.0) or for other series', () => {
    expect(priorRegistration(run())).toBeUndefined();
    expect(priorRegistration(run([{ ...reg, fixedRole: 'prior', movingRole: 'ct' }]))).toBeUndefined();
    expect(priorRegistration(run([reg], { ct: 'elsewhere', prior: 'library:pri' }))).toBeUndefined();
    expect(priorRegistration({ ...run([reg]), roles: { ct: 'cur' } })).toBeUndefined();
  });
});
