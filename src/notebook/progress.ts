/**
 * Progress of long training runs in a notebook: a {@link FitObserver} (see `core/observe.ts`) that
 * stays silent for a `fit` that ends within about a second, and otherwise shows ONE output that it
 * updates in place a few times a second (not per epoch): a status line ("▶ epoch 1200 / 5000, L =
 * 0.0421, accuracy 0.987, 3.1 s") above a small chart of L per epoch. When the run ends the output
 * keeps its final state, which says how it ended: done, stopped early by `onEpoch`, stopped by an
 * error (e.g. divergence), or interrupted. A notebook executed headless keeps that final state too
 * (the updates are `update_display_data` messages of one display).
 *
 * The kernel hooks (`kernel.ts`) register it with tslab's `newDisplay()` when `'../dist/notebook'`
 * is imported inside a tslab kernel; nowhere else is anything registered or shown.
 */
import type { FitEnd, FitEpoch, FitObserver, FitRunObserver, FitStart } from '../core/observe';
import { escapeHtml, figureHtml, type Data, type Figure } from './plot';
import { fmt } from './describe';
import { SERIES_COLORS } from './style';

/** Where progress is shown: one output whose `html` call replaces its content (tslab's `newDisplay()`). */
export interface ProgressDisplay {
  html(html: string): void;
}

/** Options of {@link createProgressObserver}. */
export interface ProgressOptions {
  /** Makes the output of a run; called once per run, and only for runs that last longer than `delayMs`. */
  newDisplay(): ProgressDisplay;
  /** A clock in milliseconds (default `performance.now`). */
  now?: () => number;
  /** A run shows nothing until it has run this long, in ms (default 1000). */
  delayMs?: number;
  /** Least time between two updates of the output, in ms (default 250: four updates a second). */
  intervalMs?: number;
  /** Most points kept for the chart (default 1000); longer runs keep every 2nd, 4th, … epoch. */
  maxPoints?: number;
  /** Turns a snapshot into the output's HTML (default {@link progressHtml}). */
  render?: (snapshot: ProgressSnapshot) => string;
}

/** How a run stands, as {@link progressHtml} shows it. */
export type ProgressState = 'running' | 'done' | 'stopped' | 'error' | 'interrupted';

/** Everything {@link progressHtml} draws: pure data, so that the HTML can be tested without a kernel. */
export interface ProgressSnapshot {
  state: ProgressState;
  start: FitStart;
  /** Epochs completed so far (or run, at the end). */
  epochsDone: number;
  /** The last epoch's report, if any epoch finished. */
  last?: FitEpoch;
  /** Milliseconds since the run started. */
  elapsedMs: number;
  /** The error that ended the run (state 'error'). */
  error?: Error;
  /** The chart's points: epochs (from 0) and L, plus validation L when `fit` reports it. */
  epochs: readonly number[];
  loss: readonly number[];
  valLoss?: readonly number[];
}

/** The attribute on a progress output's outer div; its value is the {@link ProgressState}. */
export const PROGRESS_ATTRIBUTE = 'data-bp-fit-progress';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function metrics(last: FitEpoch | undefined): string {
  if (!last) return '';
  let s = `L = ${fmt(last.loss)}, accuracy ${fmt(last.accuracy, 3)}`;
  if (last.valLoss !== undefined) s += `, validation L = ${fmt(last.valLoss)}`;
  if (last.valAccuracy !== undefined) s += `, validation accuracy ${fmt(last.valAccuracy, 3)}`;
  return s;
}

/**
 * The status line of a run, e.g. "▶ epoch 1200 / 5000, L = 0.0421, accuracy 0.987, 3.1 s" while it
 * runs and "✓ done: 5000 / 5000 epochs in 6.2 s, L = 0.0123, accuracy 0.995" at the end.
 */
export function progressLine(s: ProgressSnapshot): string {
  const of = `${s.epochsDone} / ${s.start.epochs}`;
  const m = metrics(s.last);
  switch (s.state) {
    case 'running':
      return `▶ epoch ${of}, ${m ? `${m}, ` : ''}${seconds(s.elapsedMs)}`;
    case 'done':
      return `✓ done: ${of} epochs in ${seconds(s.elapsedMs)}${m ? `, ${m}` : ''}`;
    case 'stopped':
      return `■ stopped early by onEpoch after ${of} epochs (${seconds(s.elapsedMs)})${m ? `: ${m}` : ''}`;
    case 'interrupted':
      return `■ interrupted after ${of} epochs (${seconds(s.elapsedMs)})${m ? `: ${m}` : ''}`;
    case 'error':
      return `✗ stopped by an error after ${of} epochs (${seconds(s.elapsedMs)}): ${s.error ? s.error.message : 'unknown error'}` +
        `${m ? ` (last epoch: ${m})` : ''}`;
  }
}

/** The loss chart of a run: L per epoch, the epoch axis spanning every epoch asked for. */
export function progressFigure(s: ProgressSnapshot): Figure {
  const round = (v: number): number | null => (Number.isFinite(v) ? Number(v.toPrecision(5)) : null);
  const data: Data[] = [{
    x: s.epochs.slice(), y: s.loss.map(round), type: 'scatter', mode: 'lines', name: 'L',
    line: { color: SERIES_COLORS[0], width: 2 },
  }];
  if (s.valLoss && s.valLoss.length === s.loss.length) {
    data.push({
      x: s.epochs.slice(), y: s.valLoss.map(round), type: 'scatter', mode: 'lines', name: 'validation L',
      line: { color: SERIES_COLORS[0], width: 2, dash: 'dash' },
    });
  }
  return {
    data,
    layout: {
      height: 220,
      margin: { l: 60, r: 20, t: 10, b: 45 },
      showlegend: data.length > 1,
      // While it runs the axis spans every epoch asked for (the curve grows towards its end); at the
      // end it is fitted to the epochs run (a run stopped early does not sit in a corner).
      xaxis: s.state === 'running'
        ? { title: { text: 'epoch' }, range: [0, Math.max(1, s.start.epochs - 1)] }
        : { title: { text: 'epoch' }, autorange: true },
      yaxis: { title: { text: 'L' }, rangemode: 'tozero' },
    },
    config: { displayModeBar: false },
  };
}

/** The whole output of a run: the status line, the network and η, and the loss chart. */
export function progressHtml(s: ProgressSnapshot): string {
  const about = `${s.start.network}, η = ${fmt(s.start.learningRate)}, ${s.start.samples} samples`;
  return `<div class="bp-fit-progress" ${PROGRESS_ATTRIBUTE}="${s.state}" style="font:13px/1.45 system-ui,sans-serif;">` +
    `<div class="bp-fit-progress-line" style="font-family:var(--jp-code-font-family,monospace);">${escapeHtml(progressLine(s))}</div>` +
    `<div style="color:#6b7280;font-size:12px;">${escapeHtml(about)}</div>` +
    (s.epochs.length > 0 ? figureHtml(progressFigure(s)) : '') +
    `</div>`;
}

/** A progress observer; `interruptActive` ends the display of runs that will never report their end. */
export interface ProgressObserver extends FitObserver {
  /**
   * Marks every run still in progress as interrupted and draws its final state (the kernel calls it
   * when a new cell starts: a synchronous `fit` still "running" then was stopped by an interrupt,
   * which skips its end report).
   */
  interruptActive(): void;
}

/**
 * Makes the progress observer of `fit` runs (register it with `setFitObserver`).
 * Per epoch it costs a few field updates, plus a clock reading every epoch for epochs of 2 ms or
 * more and every 2nd, 4th, … epoch for shorter ones (reads stay about 2-20 ms apart); it draws at
 * most every `intervalMs`.
 * @param options where to show progress, the clock, the delay before showing anything, the update interval
 */
export function createProgressObserver(options: ProgressOptions): ProgressObserver {
  if (options === null || typeof options !== 'object' || typeof options.newDisplay !== 'function') {
    throw new Error('createProgressObserver: options.newDisplay must be a function that returns { html(s) }; received ' +
      (options === null ? 'null' : typeof options));
  }
  const now = options.now ?? (() => performance.now());
  const delay = options.delayMs ?? 1000;
  const interval = options.intervalMs ?? 250;
  const maxPoints = Math.max(8, options.maxPoints ?? 1000);
  const render = options.render ?? progressHtml;
  const active = new Set<Run>();

  class Run implements FitRunObserver {
    private readonly t0 = now();
    private last: FitEpoch | undefined;
    private epochsSeen = 0;
    private xs: number[] = [];
    private ys: number[] = [];
    private vs: number[] | undefined;
    private stride = 1;
    private display: ProgressDisplay | undefined;
    private lastDraw = -Infinity;
    private ended = false;
    /** The clock is read every `every` epochs (adapted so that reads are about 2-20 ms apart). */
    private every = 1;
    private countdown = 1;
    private lastRead = this.t0;

    constructor(private readonly start: FitStart) {}

    epoch(info: FitEpoch): void {
      this.last = info;
      this.epochsSeen = info.epoch + 1;
      if (info.epoch % this.stride === 0) {
        this.xs.push(info.epoch);
        this.ys.push(info.loss);
        if (info.valLoss !== undefined) (this.vs ??= []).push(info.valLoss);
        if (this.xs.length >= maxPoints) this.thin();
      }
      if (--this.countdown > 0) return;
      const t = now();
      const gap = t - this.lastRead;
      this.lastRead = t;
      if (gap < 2 && this.every < 4096) this.every *= 2; // tiny epochs: read the clock less often
      else if (gap > 20 && this.every > 1) this.every >>= 1;
      this.countdown = this.every;
      if (t - this.lastDraw >= interval && t - this.t0 >= delay) this.draw('running', t);
    }

    end(info: FitEnd): void {
      this.finish(info.error ? 'error' : info.stoppedEarly ? 'stopped' : 'done', info.epochsRun, info.error);
    }

    finish(state: ProgressState, epochsRun: number, error?: Error): void {
      if (this.ended) return;
      this.ended = true;
      active.delete(this);
      const t = now();
      if (this.display === undefined && t - this.t0 < delay) return; // a short run stays quiet
      this.epochsSeen = epochsRun;
      this.draw(state, t, error);
    }

    interrupt(): void {
      this.finish('interrupted', this.epochsSeen);
    }

    private thin(): void {
      this.stride *= 2;
      const keep = (_: number, i: number): boolean => this.xs[i] % this.stride === 0;
      this.ys = this.ys.filter(keep);
      if (this.vs) this.vs = this.vs.filter(keep);
      this.xs = this.xs.filter((x) => x % this.stride === 0);
    }

    private draw(state: ProgressState, t: number, error?: Error): void {
      this.lastDraw = t;
      const epochs = this.xs.slice();
      const loss = this.ys.slice();
      const valLoss = this.vs?.slice();
      const last = this.last;
      if (last && epochs[epochs.length - 1] !== last.epoch) {
        epochs.push(last.epoch);
        loss.push(last.loss);
        if (valLoss && last.valLoss !== undefined) valLoss.push(last.valLoss);
      }
      const html = render({
        state, start: this.start, epochsDone: this.epochsSeen, last, elapsedMs: t - this.t0, error, epochs, loss, valLoss,
      });
      this.display ??= options.newDisplay();
      this.display.html(html);
    }
  }

  return {
    start(info: FitStart): FitRunObserver {
      const run = new Run(info);
      active.add(run);
      return run;
    },
    interruptActive(): void {
      for (const run of [...active]) run.interrupt();
    },
  };
}
