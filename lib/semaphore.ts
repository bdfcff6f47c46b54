/**
 * At most `size` tasks at once; the rest wait in arrival order.
 *
 * ```ts
 * const hashing = new Semaphore(2);
 * const key = await hashing.run(() => scryptAsync(password, salt));
 * ```
 */
export class Semaphore {
  #active = 0;
  readonly #queue: (() => void)[] = [];

  constructor(readonly size: number) {}

  /** Tasks running now. */
  get active(): number {
    return this.#active;
  }

  /** Tasks waiting for a turn. */
  get waiting(): number {
    return this.#queue.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.size) {
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    } else this.#active++;
    try {
      return await task();
    } finally {
      // The turn passes straight to the next in line, so `active` never over-counts.
      const next = this.#queue.shift();
      if (next) next();
      else this.#active--;
    }
  }
}
