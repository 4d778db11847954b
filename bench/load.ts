/**
 * @module
 * A small closed-loop load generator for the HTTP benchmarks: `concurrency` workers each send
 * one request, wait for its answer, and send the next, until `count` requests are done. Each
 * latency is measured around one request, so p50/p99 say what a client waits, and the rate is
 * completed requests over wall time. The generator runs in the same process as the server it
 * measures, so both sides of a comparison pay the same client cost.
 */
import { performance } from 'node:perf_hooks';

/** What one run measured. */
export interface LoadFigures {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** How many answers had each status; a benchmark checks these before quoting its figures. */
  statuses: Record<number, number>;
}

/** The value below which `fraction` of the sorted `values` lie (nearest rank). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) throw new Error('no values');
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Latencies and statuses gathered over one or more batches of requests. */
export class LoadRecorder {
  private readonly latencies: number[] = [];
  private readonly statuses: Record<number, number> = {};
  private busyMs = 0;

  /**
   * Sends `count` requests through `send`, `concurrency` at a time, and records them. Only the
   * time inside batches counts, so work a benchmark does between batches is not measured.
   *
   * @param send - sends request `index` and answers its HTTP status.
   */
  async batch(count: number, concurrency: number, send: (index: number) => Promise<number>) {
    let next = 0;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (next < count) {
        const index = next++;
        const sent = performance.now();
        const status = await send(index);
        this.latencies.push(performance.now() - sent);
        this.statuses[status] = (this.statuses[status] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    this.busyMs += performance.now() - started;
  }

  /** The figures of every batch so far. */
  figures(): LoadFigures {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const seconds = this.busyMs / 1000;
    return {
      requests: sorted.length, seconds, perSecond: sorted.length / seconds,
      statuses: { ...this.statuses },
      p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99),
    };
  }
}

/** One line: rate, p50, p99 and the statuses seen. */
export function describeLoad(label: string, figures: LoadFigures): string {
  const statuses = Object.entries(figures.statuses).map(([s, n]) => `${s}x${n}`).join(' ');
  return `  ${label.padEnd(44)} ${figures.perSecond.toFixed(0).padStart(6)} req/s  ` +
    `p50 ${figures.p50Ms.toFixed(2)} ms  p99 ${figures.p99Ms.toFixed(2)} ms  (${statuses})`;
}
