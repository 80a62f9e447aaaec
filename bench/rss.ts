/**
 * Peak resident memory per audit stage, sampled from a timer: DuckDB works on its own threads, so
 * the event loop stays free to sample while a query runs. The process maximum alone does not say
 * which stage needs the memory, nor whose it is: the peak of Node's own heap (V8 plus external
 * buffers) is sampled beside it, and the rest of the resident memory is DuckDB's or the
 * allocators' (freed memory they keep).
 */
export class RssSampler {
  private readonly peaks: Record<string, number> = {};
  private readonly nodePeaks: Record<string, number> = {};
  private current: string;
  private readonly timer: NodeJS.Timeout;

  constructor(firstStage: string, intervalMs = 50) {
    this.current = firstStage;
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Samples once more for the stage that ends, then attributes later samples to `next`. */
  enter(next: string): void {
    if (next === this.current) return;
    this.sample();
    this.current = next;
    this.sample();
  }

  /** Stops sampling; the peaks of each stage in bytes: resident memory and Node's heap. */
  stop(): { rss: Record<string, number>; node: Record<string, number> } {
    this.sample();
    clearInterval(this.timer);
    return { rss: { ...this.peaks }, node: { ...this.nodePeaks } };
  }

  private sample(): void {
    const { rss, heapUsed, external } = process.memoryUsage();
    this.peaks[this.current] = Math.max(this.peaks[this.current] ?? 0, rss);
    this.nodePeaks[this.current] = Math.max(this.nodePeaks[this.current] ?? 0, heapUsed + external);
  }
}
