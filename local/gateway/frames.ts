/**
 * Watches the raw bytes a client sends and measures each WebSocket frame (RFC 6455 5.2)
 * without decoding it: `ws` only reports whole messages, but API Gateway limits frames
 * (32 KB) and messages (128 KB) separately. Reports the first violation, then stops.
 */
export type FrameViolation = 'frame' | 'message';

export class FrameMeter {
  private header: Buffer = Buffer.alloc(0);
  private payloadLeft = 0;
  private messageBytes = 0;
  private stopped = false;

  constructor(
    private readonly limits: { frameBytes: number; messageBytes: number },
    private readonly onViolation: (violation: FrameViolation) => void,
  ) {}

  push(chunk: Buffer): void {
    let offset = 0;
    while (!this.stopped && offset < chunk.length) {
      if (this.payloadLeft > 0) {
        const skip = Math.min(this.payloadLeft, chunk.length - offset);
        this.payloadLeft -= skip;
        offset += skip;
        continue;
      }
      const needed = this.headerLength();
      const take = Math.min(needed - this.header.length, chunk.length - offset);
      this.header = Buffer.concat([this.header, chunk.subarray(offset, offset + take)]);
      offset += take;
      if (this.header.length === this.headerLength()) this.frameHeader();
    }
  }

  /** How long the current header is, as far as its bytes so far tell. */
  private headerLength(): number {
    if (this.header.length < 2) return 2;
    const second = this.header[1]!;
    const length7 = second & 0x7f;
    const extended = length7 === 126 ? 2 : length7 === 127 ? 8 : 0;
    const mask = second & 0x80 ? 4 : 0;
    return 2 + extended + mask;
  }

  private frameHeader(): void {
    const first = this.header[0]!;
    const length7 = this.header[1]! & 0x7f;
    const payload =
      length7 === 126 ? this.header.readUInt16BE(2) : length7 === 127 ? Number(this.header.readBigUInt64BE(2)) : length7;
    this.header = Buffer.alloc(0);
    this.payloadLeft = payload;
    const opcode = first & 0x0f;
    if (opcode >= 0x8) return; // control frames are not part of any message
    const fin = (first & 0x80) !== 0;
    if (payload > this.limits.frameBytes) return this.stop('frame');
    this.messageBytes += payload;
    if (this.messageBytes > this.limits.messageBytes) return this.stop('message');
    if (fin) this.messageBytes = 0;
  }

  private stop(violation: FrameViolation): void {
    this.stopped = true;
    this.onViolation(violation);
  }
}
