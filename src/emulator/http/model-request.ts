/**
 * The request as a model function sees it, for one exchange. Its `signal` is read through the
 * prototype and made on first read: most models never read it, and an accessor on each object
 * (an object literal's `get signal()`) would give every request its own hidden class, which kept
 * the garbage collector busy under load. So `signal` is not an own property: a copy made with
 * spread or `Object.keys` leaves it out, as it always did for the async operation's queued copy.
 */
import type { OperationName } from '../../model/index.js';
import type { ModelRequest } from '../types.js';

/** Where the model's abort signal comes from. */
export interface ModelSignalSource {
  readonly modelSignal: AbortSignal;
}

/** One exchange's `ModelRequest`. */
export class ExchangeModelRequest implements ModelRequest {
  readonly #source: ModelSignalSource;
  // Declared, not defined: an optional member the request lacks stays absent, not `undefined`.
  declare contentType?: string;
  declare accept?: string;
  declare customAttributes?: string;
  declare targetModel?: string;
  declare inferenceComponent?: string;
  declare containerHostname?: string;

  constructor(
    source: ModelSignalSource,
    public body: Buffer,
    public headers: Record<string, string>,
    public endpointName: string,
    public operation: OperationName,
    public variant: string,
  ) {
    this.#source = source;
  }

  /** Aborted when the client closes the request, the emulator closes, or the model runs out of time. */
  get signal(): AbortSignal {
    return this.#source.modelSignal;
  }
}
