// A progress bar on stderr: redrawn in place on a terminal, one line per 10 % otherwise (CI logs).

export class Progress {
  /** @param {{ label: string, total: number, enabled?: boolean, stream?: NodeJS.WriteStream }} options */
  constructor({ label, total, enabled = true, stream = process.stderr }) {
    this.label = label;
    this.total = Math.max(1, total);
    this.done = 0;
    this.enabled = enabled;
    this.stream = stream;
    this.tty = Boolean(stream.isTTY);
    this.started = performance.now();
    this.lastDecile = -1;
    this.note = "";
  }

  /** Adds `n` units of work done; `note` says what is running now. */
  tick(n, note = this.note) {
    this.done = Math.min(this.total, this.done + n);
    this.note = note;
    if (!this.enabled) return;
    const ratio = this.done / this.total;
    const seconds = ((performance.now() - this.started) / 1000).toFixed(0);
    if (this.tty) {
      const width = 28;
      const filled = Math.round(ratio * width);
      const line = `[bench] ${this.label} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${seconds}s ${note}`;
      this.stream.write(
        `\r${line.slice(0, (this.stream.columns ?? 120) - 1).padEnd(Math.min(this.stream.columns ?? 120, 120) - 1)}`,
      );
    } else {
      const decile = Math.floor(ratio * 10);
      if (decile > this.lastDecile) {
        this.lastDecile = decile;
        this.stream.write(`[bench] ${this.label} ${String(decile * 10).padStart(3)}% ${seconds}s ${note}\n`);
      }
    }
  }

  finish() {
    if (this.enabled && this.tty) this.stream.write("\n");
  }
}
