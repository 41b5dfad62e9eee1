/**
 * Counts one request's (or job's) database round trips and the time spent waiting on them:
 * the figure DESIGN §3 surfaces in `Server-Timing` and the benchmark compares to its floor.
 */
export class DbMeter {
  roundTrips = 0;
  durationMs = 0;

  /** Records the start of a round trip; call the returned function when it completes. */
  start(): () => void {
    const started = performance.now();
    this.roundTrips++;
    return () => {
      this.durationMs += performance.now() - started;
    };
  }

  async track<T>(work: Promise<T>): Promise<T> {
    const done = this.start();
    try {
      return await work;
    } finally {
      done();
    }
  }

  /** `db;dur=1.2;desc="1 round trips"` */
  serverTiming(): string {
    return `db;dur=${this.durationMs.toFixed(1)};desc="${this.roundTrips} round trips"`;
  }
}
