/**
 * Peak resident memory per audit stage, sampled from a timer: DuckDB works on its own threads, so
 * the event loop stays free to sample while a query runs. The process maximum alone does not say
 * which stage needs the memory.
 */
export class RssSampler {
  private readonly peaks: Record<string, number> = {};
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

  /** Stops sampling; the peak of each stage in bytes. */
  stop(): Record<string, number> {
    this.sample();
    clearInterval(this.timer);
    return { ...this.peaks };
  }

  private sample(): void {
    const rss = process.memoryUsage.rss();
    this.peaks[this.current] = Math.max(this.peaks[this.current] ?? 0, rss);
  }
}
