/**
 * Turns a byte stream into lines. A line longer than `maxLineLength` is dropped rather than
 * buffered without bound, so a misbehaving child cannot grow main's memory.
 */
export class LineSplitter {
  private pending = '';
  private overflowing = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineLength = 64 * 1024,
  ) {}

  push(chunk: Buffer | string): void {
    const parts = (this.pending + chunk.toString()).split('\n');
    this.pending = parts.pop() ?? '';
    for (const part of parts) {
      if (!this.overflowing) this.onLine(part.replace(/\r$/, ''));
      this.overflowing = false;
    }
    if (this.pending.length > this.maxLineLength) {
      this.pending = '';
      this.overflowing = true;
    }
  }
}
