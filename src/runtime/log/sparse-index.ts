/**
 * An in-memory sparse index of one segment: (batch base offset → file position) for about one batch every
 * `intervalBytes`, so a read by offset seeks close to its batch instead of rescanning the file. Rebuilt by the
 * recovery scan on open; never written to disk. Stored in growable typed arrays (no per-entry objects).
 */
export class SparseIndex {
  private offsets = new Float64Array(64);
  private positions = new Float64Array(64);
  private size = 0;
  private bytesSinceEntry = Infinity;

  constructor(private readonly intervalBytes: number) {}

  /** Records a batch appended at `position`; entries must come in increasing offset order. */
  add(baseOffset: number, position: number, length: number): void {
    if (this.bytesSinceEntry >= this.intervalBytes) {
      if (this.size === this.offsets.length) this.grow();
      this.offsets[this.size] = baseOffset;
      this.positions[this.size] = position;
      this.size++;
      this.bytesSinceEntry = 0;
    }
    this.bytesSinceEntry += length;
  }

  /** The position of the last indexed batch whose base offset is ≤ `offset`; 0 when there is none. */
  lookup(offset: number): number {
    let lo = 0;
    let hi = this.size - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.offsets[mid]! <= offset) {
        found = this.positions[mid]!;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  get entries(): number {
    return this.size;
  }

  private grow(): void {
    const offsets = new Float64Array(this.offsets.length * 2);
    offsets.set(this.offsets);
    const positions = new Float64Array(this.positions.length * 2);
    positions.set(this.positions);
    this.offsets = offsets;
    this.positions = positions;
  }
}
