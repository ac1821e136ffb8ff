/**
 * Test hook (`window.__qiviewReportTest`, dev builds and QIVIEW_TEST_HOOKS=1 builds only): opens the report of a
 * synthetic pCASL-like or lung-fibrosis-like result (core/common/report/synthetic-results: the real plugins' result
 * shapes, with QC reasons, parameter provenance and long measurement lists) so e2e tests can print them.
 */
import { openLiveReport } from './report-view-store';

/** Installs the hook (no-op in production builds: the synthetic results are never bundled there). */
export function installReportTestHooks(): void {
  if (!__QIVIEW_TEST_HOOKS__) return;
  (window as unknown as { __qiviewReportTest: unknown }).__qiviewReportTest = {
    async openSynthetic(kind: 'asl' | 'lung'): Promise<void> {
      const { syntheticAslCase, syntheticLungCase } =
        await import('../../core/common/report/synthetic-results');
      const c = kind === 'asl' ? syntheticAslCase() : syntheticLungCase();
      openLiveReport({
        result: c.result,
        provenance: c.provenance,
        roles: {},
        volumes: c.volumes,
        patient: { name: 'Synthetic^Case', id: `SYN-${kind.toUpperCase()}` },
        study: { description: `Synthetic ${kind}`, date: '20261120' },
      });
    },
  };
}
