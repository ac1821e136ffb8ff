import { useEffect, useRef } from 'react';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Title,
  Tooltip,
} from 'chart.js';
import type { Plot } from '@qiview/sdk';
import { plotConfig } from './plot-config';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Title,
  Tooltip,
);

/** One plot (histogram, bar or line) drawn with chart.js on a canvas. */
export function ResultPlot({ plot }: { plot: Plot }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, plotConfig(plot));
    return () => chart.destroy();
  }, [plot]);
  return (
    <figure className="result-plot" data-testid="result-plot" data-plot={plot.id} style={{ height: 220 }}>
      <canvas ref={canvas} role="img" aria-label={plot.title} />
    </figure>
  );
}
