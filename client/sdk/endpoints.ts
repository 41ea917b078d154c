/**
 * The endpoints a client may use (one WebSocket API per region) and when to move on:
 * after `failoverAfter` failed attempts in a row at one endpoint, to the next one, wrapping.
 */
export class Endpoints {
  private index = 0;
  private misses = 0;

  constructor(
    private readonly urls: readonly string[],
    private readonly failoverAfter: number,
  ) {}

  get url(): string {
    return this.urls[this.index]!;
  }

  /** A connection became useful: the count starts over. */
  healthy(): void {
    this.misses = 0;
  }

  /** An attempt failed. Answers whether that moved the client to the next endpoint. */
  failed(): boolean {
    if (this.urls.length < 2 || ++this.misses < this.failoverAfter) return false;
    this.misses = 0;
    this.index = (this.index + 1) % this.urls.length;
    return true;
  }
}
