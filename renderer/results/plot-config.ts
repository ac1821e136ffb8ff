/** Chart.js configuration for an SDK {@link Plot} (pure, so it can be tested without a canvas). */
import type { ChartConfiguration } from 'chart.js';
import type { Plot } from '@qiview/sdk';

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1'];

/** Labels for the x axis: numbers with up to 4 significant digits. */
function xLabels(x: Plot['x']): string[] {
  return x.map((v) => (typeof v === 'number' ? String(Number(v.toPrecision(4))) : v));
}

/** The chart configuration: histogram → touching bars, bar → bars, line → lines. Non-finite y become gaps. */
export function plotConfig(plot: Plot): ChartConfiguration<'bar' | 'line'> {
  const type = plot.kind === 'line' ? 'line' : 'bar';
  const histogram = plot.kind === 'histogram';
  return {
    type,
    data: {
      labels: xLabels(plot.x),
      datasets: plot.series.map((s, i) => ({
        label: s.name,
        data: s.y.map((v) => (Number.isFinite(v) ? v : null)),
        backgroundColor: PALETTE[i % PALETTE.length],
        borderColor: PALETTE[i % PALETTE.length],
        ...(histogram ? { barPercentage: 1, categoryPercentage: 1 } : {}),
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        title: { display: true, text: plot.title },
        legend: { display: plot.series.length > 1 },
      },
      scales: {
        x: { title: { display: true, text: plot.xLabel } },
        y: { title: { display: true, text: plot.yLabel }, beginAtZero: plot.kind !== 'line' },
      },
    },
  } as ChartConfiguration<'bar' | 'line'>;
}
