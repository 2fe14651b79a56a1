/**
 * A counting gate between a pulling reader and a pushing pipeline: the reader takes a credit per
 * record and waits when all are out; a credit comes back when the record's result is written.
 * It bounds how many records are in memory at once, whatever the input size.
 */
export class CreditGate {
  private inUse = 0;
  private readonly waiting: Array<() => void> = [];

  /** @param limit records allowed between reading and writing at once. */
  constructor(readonly limit: number) {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError(`CreditGate: limit must be a positive integer, got ${limit}`);
  }

  /** Records currently between reading and writing. */
  get outstanding(): number {
    return this.inUse;
  }

  /** Resolves when a credit is free, and takes it. */
  take(): Promise<void> {
    if (this.inUse < this.limit) {
      this.inUse++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.inUse++;
        resolve();
      }),
    );
  }

  /** Gives a credit back, waking the oldest waiter. */
  release(): void {
    this.inUse = Math.max(0, this.inUse - 1);
    const next = this.waiting.shift();
    if (next) next();
  }
}
