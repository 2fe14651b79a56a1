import type { Cancellation } from './cancellation.js';

/**
 * The transport contract: send one signed request, honour its AbortSignal, return the status,
 * lower-cased headers and a body that can be read whole or chunk by chunk. A transport maps
 * its own failures to `NetworkError` or `TimeoutError` (keeping the system code), so nothing
 * outside `transport/` needs to know which HTTP client runs underneath.
 */

export interface TransportRequest {
  method: 'POST' | 'GET';
  /** The full URL, including the endpoint's base path. */
  url: string;
  /** Header names as given; values already signed. */
  headers: Readonly<Record<string, string>>;
  body: Uint8Array;
  /**
   * Aborting it cancels the request; the promise rejects and any body stream ends. On the client's
   * requests it is a getter on the prototype (the signal is made only when read): a wrapper that
   * copies the request with a spread must carry `signal` over itself (`cancellation` is copied).
   */
  readonly signal: AbortSignal;
  /**
   * The same cancellation without an `AbortSignal`: a transport that can cancel through a plain
   * callback (undici) uses it and never reads `signal`, which is then never created.
   */
  readonly cancellation?: Cancellation;
}

export interface TransportBody extends AsyncIterable<Uint8Array> {
  /** Reads the whole body. */
  bytes(): Promise<Uint8Array>;
  /**
   * `true` when every chunk the iterator yields is memory that nothing writes to afterwards (not
   * a buffer the transport reuses): a reader may then hand out views into the chunks instead of
   * copies (the event-stream decoder does). Absent: chunks are copied before anything keeps them.
   */
  readonly freshChunks?: boolean;
}

export interface TransportResponse {
  statusCode: number;
  /** Lower-cased header names; repeated headers joined with `, `. */
  headers: Readonly<Record<string, string>>;
  /** Read it once, whole or as chunks. Aborting the request's signal ends it. */
  body: TransportBody;
}

export interface Transport {
  /** Sends the request. Rejects with `NetworkError` or `TimeoutError` (or the signal's reason when aborted). */
  send(request: TransportRequest): Promise<TransportResponse>;
  /** Closes pooled connections. */
  destroy(): Promise<void>;
}
