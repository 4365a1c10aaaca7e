/**
 * Small mechanisms both data planes (the embedded log and Kafka) need in the same form: a sleep that an event can
 * cut short (poll waits for data), the parsing of Consumer.commit's two argument shapes, and tracking of work still
 * in flight so close() can wait for it.
 */
import { DataPlaneError } from './data-plane-error.js';
import type { TopicPartition } from './data-plane.js';

/** A sleep that `wake()` ends early; one sleeper at a time (a consumer's poll). */
export class WakeableSleep {
  private wakeCurrent: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeCurrent = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeCurrent = done;
    });
  }

  wake(): void {
    this.wakeCurrent?.();
  }
}

/**
 * Consumer.commit's argument as a list. A Map is keyed by `topic-partition` (the partition is the part after the last
 * '-'); a malformed key throws DataPlaneError(PIPECTL_LOG_INVALID_ARGUMENT).
 */
export function offsetList(offsets: ReadonlyMap<string, number> | readonly (TopicPartition & { offset: number })[]): (TopicPartition & { offset: number })[] {
  if (!(offsets instanceof Map)) return (offsets as readonly (TopicPartition & { offset: number })[]).map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset }));
  return [...offsets].map(([key, offset]) => {
    const dash = key.lastIndexOf('-');
    const partition = Number(key.slice(dash + 1));
    if (dash <= 0 || !Number.isSafeInteger(partition)) throw new DataPlaneError('PIPECTL_LOG_INVALID_ARGUMENT', `"${key}" is not a topic-partition key`);
    return { topic: key.slice(0, dash), partition, offset };
  });
}

/** Promises still running, so that close() can let them settle first. */
export class InflightWork {
  private readonly work = new Set<Promise<unknown>>();

  track<T>(promise: Promise<T>): Promise<T> {
    this.work.add(promise);
    const done = (): void => void this.work.delete(promise);
    promise.then(done, done);
    return promise;
  }

  settled(): Promise<unknown> {
    return Promise.allSettled([...this.work]);
  }
}
