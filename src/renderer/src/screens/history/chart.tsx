import { useEffect, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { useNightMode } from '../../components/night-mode';
import { chartColumns } from './chart-data';

const HEIGHT = 180;

interface HistoryChartProps {
  points: ReadonlyArray<readonly [number, number]>;
  name: string;
  unit: string;
  /** The chart's words for screen readers; the canvas itself says nothing. */
  description: string;
}

/** The shell's colours, read at draw time so the chart follows night mode when redrawn. */
function colours(element: HTMLElement) {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return { line: read('--accent', '#2f7d4f'), axis: read('--muted', '#5d6b60'), grid: read('--line', '#d9e0d5') };
}

function options(width: number, name: string, unit: string, element: HTMLElement): uPlot.Options {
  const c = colours(element);
  const axis = { stroke: c.axis, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 } };
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true } },
    series: [{}, { label: unit ? `${name} (${unit})` : name, stroke: c.line, width: 2, spanGaps: false, points: { show: false } }],
    axes: [axis, { ...axis, size: 48 }],
  };
}

export function HistoryChart({ points, name, unit, description }: HistoryChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // The colours are read when the chart is drawn, so a switch of theme draws it again.
  const night = useNightMode();

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    let plot: uPlot | null = null;
    let observer: ResizeObserver | null = null;
    let cancelled = false;
    import('./uplot-loader')
      .then(({ default: UPlot }) => {
        if (cancelled) return;
        const width = Math.max(200, element.clientWidth);
        plot = new UPlot(options(width, name, unit, element), chartColumns(points) as uPlot.AlignedData, element);
        observer = new ResizeObserver(() => plot?.setSize({ width: Math.max(200, element.clientWidth), height: HEIGHT }));
        observer.observe(element);
      })
      .catch((error: unknown) => {
        if (!cancelled) setFailure(`the chart could not be drawn (${error instanceof Error ? error.message : String(error)})`);
      });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [points, name, unit, night]);

  if (failure) return <p className="field-problem">{failure}</p>;
  return <div ref={box} className="chart" role="img" aria-label={description} />;
}
