/**
 * Runs async operations one at a time, in arrival order (the standalone herder's equivalent of Connect's
 * `synchronized` herder methods). An operation's failure is returned to its caller and does not stop the queue.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(op: () => Promise<T>): Promise<T> {
    const result = this.tail.then(op, op);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
