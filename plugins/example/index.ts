/**
 * Example Qiview plugin (copy this folder to start your own): voxels of a CT inside a HU range, largest connected
 * component kept (WASM kernel), volume and mean/SD HU, a histogram plot, and one pass through a tiny ONNX model.
 * See README.md.
 */
import {
  AnalysisError,
  definePlugin,
  type AnalysisContext,
  type AnalysisInput,
  type AnalysisResult,
} from '@qiview/sdk';
import { histogram } from './histogram';
import { passThroughModel } from './model-pass';
import { maskStatistics } from './statistics';
import { threshold } from './threshold';

const num = (input: AnalysisInput, key: string, fallback: number): number => {
  const v = input.parameters[key];
  if (v === undefined || v === null) return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n))
    throw new AnalysisError('bad-parameter', `parameter ${key} must be a number, got ${String(v)}`);
  return n;
};

/** The analysis. */
export async function runExample(input: AnalysisInput, context: AnalysisContext): Promise<AnalysisResult> {
  const ct = input.series.ct;
  if (!ct) throw new AnalysisError('missing-input', 'a CT series is required');
  if (ct.volume.unit !== 'HU') {
    throw new AnalysisError('wrong-unit', `the CT volume must be in HU, got "${ct.volume.unit}"`);
  }
  const lower = num(input, 'lowerHu', 100);
  const upper = num(input, 'upperHu', 400);
  const binWidth = num(input, 'binWidthHu', 10);
  if (!(lower < upper))
    throw new AnalysisError('bad-parameter', `lowerHu (${lower}) must be below upperHu (${upper})`);
  if (!(binWidth > 0))
    throw new AnalysisError('bad-parameter', `binWidthHu must be positive, got ${binWidth}`);
  const { geometry } = ct.volume;

  context.progress(0.1, 'threshold');
  const raw = threshold(ct.volume, lower, upper);
  context.throwIfCancelled();

  context.progress(0.3, 'largest component');
  const mask = context.kernels.keepLargestComponents(raw, geometry.dimensions, { connectivity: 26, keep: 1 });
  context.throwIfCancelled();

  context.progress(0.5, 'statistics');
  const stats = maskStatistics(ct.volume, mask);
  if (stats.voxels === 0) {
    context.log('warning', `no voxel between ${lower} and ${upper} HU`);
  }
  const hist = histogram(ct.volume, mask, lower, upper, binWidth);

  context.progress(0.7, 'model');
  const counts = await passThroughModel(context, hist.counts);
  context.throwIfCancelled();

  const labelmapId = 'example-component';
  const region = { labelmapId, label: 1, name: 'Largest component' };
  const measurements: AnalysisResult['measurements'] = [
    { key: 'volume_ml', name: 'Volume', value: stats.volumeMl, unit: 'ml', region },
    { key: 'voxel_count', name: 'Voxel count', value: stats.voxels, unit: '1', region },
  ];
  if (stats.voxels > 0) {
    measurements.push(
      {
        key: 'mean_hu',
        name: 'Mean HU',
        value: stats.mean,
        unit: 'HU',
        region,
        derivation: { value: '373098007', scheme: 'SCT', meaning: 'Mean' },
      },
      {
        key: 'sd_hu',
        name: 'SD HU',
        value: stats.sd,
        unit: 'HU',
        region,
        derivation: { value: '386136009', scheme: 'SCT', meaning: 'Standard Deviation' },
      },
    );
  }
  context.progress(1, 'done');
  return {
    labelmaps: [
      {
        id: labelmapId,
        name: 'Largest component',
        geometry,
        data: mask,
        segments: [
          {
            label: 1,
            name: 'Largest component',
            color: [230, 80, 60],
            algorithm: { type: 'AUTOMATIC', name: 'Threshold + largest component' },
          },
        ],
        referencedSeriesUid: ct.volume.metadata.seriesInstanceUid,
      },
    ],
    maps: [],
    measurements,
    findings: [
      stats.voxels > 0
        ? `Largest component between ${lower} and ${upper} HU: ${stats.volumeMl.toFixed(2)} ml, mean ${stats.mean.toFixed(1)} HU.`
        : `No voxel between ${lower} and ${upper} HU.`,
    ],
    parameters: [
      {
        key: 'lowerHu',
        name: 'Lower threshold',
        value: lower,
        unit: 'HU',
        source: input.parameters.lowerHu === undefined ? 'default' : 'user',
      },
      {
        key: 'upperHu',
        name: 'Upper threshold',
        value: upper,
        unit: 'HU',
        source: input.parameters.upperHu === undefined ? 'default' : 'user',
      },
    ],
    plots: [
      {
        id: 'histogram',
        title: 'HU histogram of the component',
        kind: 'histogram',
        xLabel: 'HU',
        yLabel: 'Voxels',
        x: hist.centres,
        series: [{ name: 'Voxels', y: counts }],
      },
    ],
  };
}

export default definePlugin({ run: runExample });
