/**
 * The `Response` node-fetch.ts hands back: a body already read in full, and headers kept as Node's
 * raw list until asked for. Building Node's own `Response` (undici: a `Headers` filled with
 * validation, a Web stream over the body) and reading it back with `text()` cost ~45 µs of CPU per
 * GitHub reply, three per sign-in, for a body the client reads once as text. The reading methods
 * answer from the bytes; what needs a real stream (`body`, `blob`, `formData`, `clone`) is given
 * by a real `Response` built on first use.
 */

// Statuses whose Response may not carry a body (the Fetch standard's null body statuses).
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function unusable(): TypeError {
  return new TypeError("Body is unusable: Body has already been read");
}

/**
 * A `Response` over a body read in full.
 *
 * @example
 * const res = new BufferedResponse(200, "OK", ["content-type", "application/json"], "https://api.github.com/user", bytes);
 * await res.json();
 */
export class BufferedResponse implements Response {
  readonly ok: boolean;
  readonly redirected = false;
  readonly type: ResponseType = "default";
  readonly #rawHeaders: readonly string[];
  readonly #bytes: Uint8Array<ArrayBuffer> | null;
  #headers: Headers | undefined;
  #real: Response | undefined;
  #used = false;

  constructor(
    readonly status: number,
    readonly statusText: string,
    rawHeaders: readonly string[],
    readonly url: string,
    bytes: Uint8Array<ArrayBuffer>,
  ) {
    this.ok = status >= 200 && status <= 299;
    this.#rawHeaders = rawHeaders;
    this.#bytes = NULL_BODY.has(status) ? null : bytes;
  }

  get headers(): Headers {
    if (this.#headers === undefined) {
      const headers = new Headers();
      const raw = this.#rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
      this.#headers = headers;
    }
    return this.#headers;
  }

  get bodyUsed(): boolean {
    return this.#real?.bodyUsed ?? this.#used;
  }

  get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    return this.#toReal().body;
  }

  text(): Promise<string> {
    return this.#real ? this.#real.text() : this.#take((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("utf8"));
  }

  json(): Promise<unknown> {
    return this.#real ? this.#real.json() : this.#take((b) => JSON.parse(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("utf8")) as unknown);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#real ? this.#real.arrayBuffer() : this.#take((b) => b.slice().buffer);
  }

  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#real ? this.#real.bytes() : this.#take((b) => b.slice());
  }

  blob(): Promise<Blob> {
    return this.#toReal().blob();
  }

  formData(): Promise<FormData> {
    return this.#toReal().formData();
  }

  clone(): Response {
    return this.#toReal().clone();
  }

  /** Reads the bytes once, as a real Response does; no body (a 204) reads as empty, any number of times. */
  #take<T>(read: (bytes: Uint8Array<ArrayBuffer>) => T): Promise<T> {
    if (this.#used) return Promise.reject(unusable());
    this.#used = this.#bytes !== null;
    try {
      return Promise.resolve(read(this.#bytes ?? new Uint8Array(0)));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** The same response as Node's own `Response`, for what needs its stream; read already when the bytes were read here. */
  #toReal(): Response {
    if (this.#real === undefined) {
      this.#real = new Response(this.#bytes, { status: this.status, statusText: this.statusText, headers: this.headers });
      if (this.#used) void this.#real.arrayBuffer().catch(() => undefined);
    }
    return this.#real;
  }
}
