/**
 * A size-bounded map for compiled schemas. When full, the oldest entry goes (first in, first out): a hit costs one
 * Map lookup, with none of the re-insertion a strict LRU would need on every record.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  /** `capacity` ≤ 0 disables caching. */
  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    if (this.capacity <= 0) return;
    if (!this.entries.has(key) && this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
  }

  get size(): number {
    return this.entries.size;
  }
}
