// One chart of the reports page: a chart.js canvas (a picture for the eye, role="img") and, under
// it, the same numbers as a table (the accessible alternative), shown on request and always in
// print. chart.js (4.x, MIT) is tree-shaken to the bar and line parts registered here.

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
  Tooltip,
} from 'chart.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { tr } from './i18n-reports';

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

export interface Series {
  label: string;
  data: (number | null)[];
  color: string;
  type?: 'bar' | 'line';
  stack?: string;
}

export interface FigureChartProps {
  id: string;
  title: string;
  /** The first column's heading in the table (Giorno, Ufficio…). */
  category: string;
  labels: string[];
  series: Series[];
  /** How a value reads in the table and the tooltip. */
  format?: (v: number | null) => string;
  stacked?: boolean;
  /** Fixed top of the value axis (1 for shares). */
  max?: number;
  horizontal?: boolean;
}

export const COLORS = {
  primary: '#0066cc',
  grey: '#5c6f82',
  green: '#008758',
  amber: '#a66300',
  red: '#cc334d',
  light: '#99c2eb',
};

const plain = (v: number | null) => (v == null ? tr('reports.none') : String(v));

export function FigureChart(p: FigureChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [open, setOpen] = useState(false);
  const fmt = p.format ?? plain;
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: p.labels,
        datasets: p.series.map((s) => ({
          type: s.type ?? 'bar',
          label: s.label,
          data: s.data,
          backgroundColor: s.color,
          borderColor: s.color,
          stack: s.stack,
          pointRadius: s.type === 'line' ? 0 : undefined,
          borderWidth: s.type === 'line' ? 2 : 0,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: p.horizontal ? 'y' : 'x',
        plugins: {
          legend: { display: p.series.length > 1, position: 'bottom' },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${fmt(c.raw as number | null)}` } },
        },
        scales: {
          x: { stacked: p.stacked, ...(p.horizontal && p.max != null ? { max: p.max } : {}) },
          y: { stacked: p.stacked, beginAtZero: true, ...(!p.horizontal && p.max != null ? { max: p.max } : {}) },
        },
      },
    });
    return () => chart.destroy();
  }, [JSON.stringify(p.labels), JSON.stringify(p.series)]);

  const tableId = `${p.id}-table`;
  return (
    <figure class="fig-chart" data-chart={p.id}>
      <figcaption>
        <h3 class="h5" id={`${p.id}-title`}>
          {p.title}
        </h3>
      </figcaption>
      <div class="fig-canvas">
        <canvas ref={canvas} role="img" aria-label={tr('chart.alt', { title: p.title })} />
      </div>
      <button
        type="button"
        class="btn btn-link btn-sm px-0 no-print"
        aria-expanded={open}
        aria-controls={tableId}
        onClick={() => setOpen(!open)}
      >
        {open ? tr('chart.hideTable') : tr('chart.showTable')}
      </button>
      <div id={tableId} class="fig-table table-responsive" hidden={!open}>
        <table class="table table-sm">
          <caption>{p.title}</caption>
          <thead>
            <tr>
              <th scope="col">{p.category}</th>
              {p.series.map((s) => (
                <th scope="col">{s.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.labels.map((label, i) => (
              <tr>
                <th scope="row">{label}</th>
                {p.series.map((s) => (
                  <td>{fmt(s.data[i] ?? null)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
