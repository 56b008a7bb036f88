import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

/** End of an HTTP/1.1 header block (RFC 9112 §2.1: headers end with an empty line). */
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * A TCP connection as the HTTP parser sees it, with a gate in between that hands the parser one
 * request head at a time and only while fewer than `maxInFlight` requests of the connection await
 * their answer. Node parses everything a read returns (64 KB, thousands of pipelined requests) and
 * builds a request and a response object for each before anyone can refuse them; behind the gate,
 * later pipelined requests wait as bytes, at most `maxHeldBytes` of them, and then the socket is
 * not read at all, so TCP flow control stops the client. Node's HTTP server accepts any duplex
 * stream as a connection; this one forwards writes, timeouts and addresses to the real socket.
 */
export class GatedConnection extends Duplex {
  private held: Buffer = Buffer.alloc(0);
  private inFlight = 0;
  private rawEnded = false;
  private endPushed = false;
  private rawPaused = false;
  /** Bytes of the body of the request being answered still to hand the parser (see allowBody). */
  private bodyBytes = 0;

  constructor(
    readonly raw: Socket,
    private readonly maxInFlight: number,
    private readonly maxHeldBytes: number,
  ) {
    super({ allowHalfOpen: true, writableHighWaterMark: raw.writableHighWaterMark });
    raw.on('data', (chunk: Buffer) => {
      this.held = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
      if (this.held.length > this.maxHeldBytes && !this.rawPaused) {
        this.rawPaused = true;
        raw.pause();
      }
      this.pump();
    });
    raw.on('end', () => {
      this.rawEnded = true;
      this.pump();
    });
    raw.on('timeout', () => this.emit('timeout'));
    raw.on('error', (err) => this.destroy(err));
    raw.on('close', () => this.destroy());
    // The HTTP server pauses the connection while its answers are not being read; reading resumes here.
    this.on('resume', () => process.nextTick(() => this.pump()));
  }

  /** Counts a request the parser produced until its response closes; the gate opens again then. */
  track(res: { once(event: 'close', listener: () => void): unknown }): void {
    this.inFlight += 1;
    res.once('close', () => {
      this.inFlight -= 1;
      this.pump();
    });
  }

  /**
   * Lets the next `bytes` of the connection through to the parser as the body of the request being
   * answered, which its handler reads before it answers (a JSON correction); without it the body
   * would wait behind the gate until the answer was sent.
   */
  allowBody(bytes: number): void {
    this.bodyBytes += bytes;
    // Called while the parser emits the request: it takes more bytes only once that call returns.
    process.nextTick(() => this.pump());
  }

  /** Requests of this connection being answered now. */
  get requestsInFlight(): number {
    return this.inFlight;
  }

  get remoteAddress(): string | undefined {
    return this.raw.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.raw.remotePort;
  }

  get remoteFamily(): string | undefined {
    return this.raw.remoteFamily;
  }

  get localAddress(): string | undefined {
    return this.raw.localAddress;
  }

  get localPort(): number | undefined {
    return this.raw.localPort;
  }

  /** Sets the inactivity timeout of the real socket; its 'timeout' is re-emitted here. */
  setTimeout(ms: number, callback?: () => void): this {
    this.raw.setTimeout(ms);
    if (callback) this.once('timeout', callback);
    return this;
  }

  setNoDelay(noDelay?: boolean): this {
    this.raw.setNoDelay(noDelay);
    return this;
  }

  setKeepAlive(enable?: boolean, initialDelay?: number): this {
    this.raw.setKeepAlive(enable, initialDelay);
    return this;
  }

  /** Ends the connection once everything written has been flushed, then destroys it (as net.Socket does). */
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', () => this.destroy());
  }

  override _read(): void {
    this.pump();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    // The callback waits for the real socket to take the bytes, so a client that does not read
    // holds this stream's buffer full and the HTTP server sees the backpressure.
    this.raw.write(chunk, encoding, callback);
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.raw.end(() => callback());
  }

  override _destroy(err: Error | null, callback: (err: Error | null) => void): void {
    this.held = Buffer.alloc(0);
    this.raw.destroy();
    callback(err);
  }

  /**
   * Hands the parser the held bytes up to the end of the next request head, one head at a time,
   * while the parser is reading (the stream flows and nothing waits in its buffer) and fewer than
   * `maxInFlight` requests are being answered. Each push is parsed synchronously, so the request
   * it completes is counted before the next one is handed over.
   */
  private pump(): void {
    while (this.bodyBytes > 0 && this.held.length > 0 && this.readableFlowing === true && this.readableLength === 0 && !this.destroyed) {
      const cut = Math.min(this.bodyBytes, this.held.length);
      const segment = this.held.subarray(0, cut);
      this.held = this.held.length === cut ? Buffer.alloc(0) : this.held.subarray(cut);
      this.bodyBytes -= cut;
      this.push(segment);
    }
    while (this.bodyBytes === 0 && this.held.length > 0 && this.inFlight < this.maxInFlight && this.readableFlowing === true && this.readableLength === 0 && !this.destroyed) {
      const end = this.held.indexOf(HEADER_END);
      const cut = end < 0 ? this.held.length : end + HEADER_END.length;
      const segment = this.held.subarray(0, cut);
      this.held = this.held.length === cut ? Buffer.alloc(0) : this.held.subarray(cut);
      this.push(segment);
    }
    if (this.rawPaused && this.held.length <= this.maxHeldBytes / 2 && !this.destroyed) {
      this.rawPaused = false;
      this.raw.resume();
    }
    // The client's end reaches the parser only once every request before it is answered: Node ends
    // the connection on it, which would cut off answers still being prepared.
    if (this.rawEnded && this.held.length === 0 && this.inFlight === 0 && !this.endPushed) {
      this.endPushed = true;
      this.push(null);
    }
  }
}
