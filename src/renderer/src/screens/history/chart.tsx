import { useEffect, useRef, useState, type PointerEvent } from 'react';
import type uPlot from 'uplot';
import { useNightMode } from '../../components/night-mode';
import { formatMoment } from '../../format';
import { chartColumns, hoverWords, timeTicks, valueRange, type ChartSpan, type TargetBand } from './chart-data';
import { nearestMark, type ChartMark, type MarkKind } from './chart-marks';

const HEIGHT = 180;
/** How near, in pixels, the pointer must come to a mark to name it. */
const MARK_REACH_PX = 8;
/** How near, in pixels, the pointer must come to a reading to read it. */
const READING_REACH_PX = 24;

interface HistoryChartProps {
  points: ReadonlyArray<readonly [number, number]>;
  span: ChartSpan;
  band: TargetBand | null;
  marks: readonly ChartMark[];
  name: string;
  unit: string;
  format: (value: number) => string;
  /** The chart's words for screen readers; the canvas itself says nothing. */
  description: string;
}

type Colours = ReturnType<typeof colours>;

/** The shell's colours, read at draw time so the chart follows night mode when redrawn. */
function colours(element: HTMLElement) {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    line: read('--accent', '#2f7d4f'),
    axis: read('--muted', '#5d6b60'),
    grid: read('--line', '#d9e0d5'),
    band: read('--ok-soft', 'rgba(47, 125, 79, 0.12)'),
    marks: { dose: read('--sim', '#6b4fbb'), fill: read('--warn', '#b7791f'), estop: read('--danger', '#c0392b') } satisfies Record<MarkKind, string>,
  };
}

/** What the draw hooks read: the latest props, without building a new chart for each. */
interface Drawn {
  points: HistoryChartProps['points'];
  span: ChartSpan;
  band: TargetBand | null;
  marks: readonly ChartMark[];
}

function drawBand(plot: uPlot, band: TargetBand | null, colour: string) {
  if (!band) return;
  const { left, top, width, height } = plot.bbox;
  const y = (value: number | null, edge: number) => (value === null ? edge : plot.valToPos(value, 'y', true));
  const upper = Math.max(top, y(band.high, top));
  const lower = Math.min(top + height, y(band.low, top + height));
  if (lower <= upper) return;
  plot.ctx.save();
  plot.ctx.fillStyle = colour;
  plot.ctx.fillRect(left, upper, width, lower - upper);
  plot.ctx.restore();
}

function drawMarks(plot: uPlot, marks: readonly ChartMark[], c: Colours) {
  const { left, top, width, height } = plot.bbox;
  const ctx = plot.ctx;
  ctx.save();
  ctx.lineWidth = Math.max(1, devicePixelRatio * 1.5);
  for (const mark of marks) {
    const x = plot.valToPos(mark.at / 1000, 'x', true);
    if (x < left || x > left + width) continue;
    ctx.strokeStyle = c.marks[mark.kind];
    // A stop is solid, a fill dashed, a dose dotted: told apart without colour too.
    ctx.setLineDash(mark.kind === 'estop' ? [] : mark.kind === 'fill' ? [6 * devicePixelRatio, 4 * devicePixelRatio] : [2 * devicePixelRatio, 3 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
  }
  ctx.restore();
}

function options(width: number, props: HistoryChartProps, element: HTMLElement, drawn: { current: Drawn }, hover: (words: string | null) => void, touched: { current: boolean }): uPlot.Options {
  const c = colours(element);
  const axis = { stroke: c.axis, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 } };
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: {
      drag: { x: false, y: false },
      points: { size: 7 },
      // After a tap the browser may say the mouse left, from where it last was: the value a
      // finger asked for stays until the next tap.
      bind: { mouseleave: (_plot, _target, handler) => (event) => (touched.current ? null : handler(event)) },
    },
    scales: {
      x: { time: true, range: () => [drawn.current.span.from / 1000, drawn.current.span.to / 1000] },
      y: { range: (_plot, min, max) => valueRange(drawn.current.points, drawn.current.band) ?? [min, max] },
    },
    series: [{}, { label: props.unit ? `${props.name} (${props.unit})` : props.name, stroke: c.line, width: 2, spanGaps: false, points: { show: false } }],
    axes: [{ ...axis, values: (_plot: uPlot, splits: number[]) => timeTicks(splits) }, { ...axis, size: 48 }],
    hooks: {
      drawClear: [(plot) => drawBand(plot, drawn.current.band, c.band)],
      draw: [(plot) => drawMarks(plot, drawn.current.marks, c)],
      setCursor: [
        (plot) => {
          const { left, idx } = plot.cursor;
          if (left === undefined || left < 0) return hover(null);
          const at = plot.posToVal(left, 'x') * 1000;
          const msPerPixel = (drawn.current.span.to - drawn.current.span.from) / Math.max(1, plot.bbox.width / devicePixelRatio);
          const mark = nearestMark(drawn.current.marks, at, MARK_REACH_PX * msPerPixel);
          const time = idx !== null && idx !== undefined ? plot.data[0][idx] : undefined;
          // uPlot offers the nearest point however far it is; a reading hours from the pointer
          // would be read as the value there, so beyond reach the pointer reads "no reading".
          const near = time !== undefined && Math.abs(time * 1000 - at) <= READING_REACH_PX * msPerPixel;
          const value = near ? plot.data[1]?.[idx!] : undefined;
          const shownAt = mark?.at ?? (near ? time * 1000 : at);
          hover(hoverWords(formatMoment(shownAt), value ?? null, props.format, props.unit, mark?.label ?? null));
        },
      ],
    },
  };
}

export function HistoryChart(props: HistoryChartProps) {
  const { points, span, band, marks, name, unit, format, description } = props;
  const box = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const drawn = useRef<Drawn>({ points, span, band, marks });
  drawn.current = { points, span, band, marks };
  const [failure, setFailure] = useState<string | null>(null);
  const [hovered, setHovered] = useState<string | null>(null);
  /** Whether the last pointer was a finger or a pen, which nothing hovers with. */
  const touched = useRef(false);
  // The colours are read when the chart is drawn, so a switch of theme draws it again.
  const night = useNightMode();
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    let observer: ResizeObserver | null = null;
    let cancelled = false;
    import('./uplot-loader')
      .then(({ default: UPlot }) => {
        if (cancelled) return;
        const width = Math.max(200, element.clientWidth);
        const plot = new UPlot(options(width, latest.current, element, drawn, setHovered, touched), chartColumns(drawn.current.points) as uPlot.AlignedData, element);
        plotRef.current = plot;
        observer = new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height: HEIGHT }));
        observer.observe(element);
      })
      .catch((error: unknown) => {
        if (!cancelled) setFailure(`the chart could not be drawn (${error instanceof Error ? error.message : String(error)})`);
      });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plotRef.current?.destroy();
      plotRef.current = null;
    };
    // The chart is built again only for what its options hold; new points are set on it below.
  }, [name, unit, format, night]);

  useEffect(() => {
    // setData rescales both axes, which reads the span and band, and redraws the marks.
    plotRef.current?.setData(chartColumns(points) as uPlot.AlignedData);
  }, [points, span, band, marks]);

  // A phone has no pointer to hover with: a tap reads the value where it lands, and the next tap
  // moves it. uPlot follows the mouse only, so the tap is handed to it as a cursor position.
  const readTap = (event: PointerEvent<HTMLDivElement>) => {
    const plot = plotRef.current;
    touched.current = event.pointerType !== 'mouse';
    if (!plot || !touched.current) return;
    const over = plot.over.getBoundingClientRect();
    const left = event.clientX - over.left;
    const top = event.clientY - over.top;
    if (left < 0 || top < 0 || left > over.width || top > over.height) return;
    plot.setCursor({ left, top });
  };

  const leave = () => {
    if (!touched.current) setHovered(null);
  };
  const pointerMoved = (event: PointerEvent<HTMLDivElement>) => {
    if (event.pointerType === 'mouse') touched.current = false;
  };

  if (failure) return <p className="field-problem">{failure}</p>;
  return (
    <div className="chart-frame">
      <div ref={box} className="chart" role="img" aria-label={description} onMouseLeave={leave} onPointerMove={pointerMoved} onPointerUp={readTap} />
      <output className="chart-readout" aria-label={`${name} under the pointer`} aria-live="off">
        {hovered ?? 'Point at or tap the chart to read a value.'}
      </output>
    </div>
  );
}
