/**
 * Signals for one invocation and for a token stream, on Angular's `rxResource`: the call runs when
 * the params signal has a value, re-runs (cancelling the one in flight) when it changes, and is
 * aborted when the component or injector that owns the resource is destroyed.
 */
import { inject, Injector, type ResourceRef } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { distinctUntilChanged, map, scan, startWith, type Observable } from 'rxjs';
import {
  output,
  textDeltas,
  type InvokeEndpointInput,
  type InvokeEndpointOutput,
  type InvokeEndpointWithResponseStreamInput,
  type InvokeEvent,
  type InvokeStreamEvent,
  type TextDeltasConfig,
} from '../index.js';
import { SageMakerClient } from './sagemaker-client.js';

const utf8 = new TextDecoder();

/** Options of `invocationResource`. */
export interface InvocationResourceOptions<P, T> {
  /** The reactive params: the call runs for each new value; `undefined` means "nothing to call yet". */
  params: () => P | undefined;
  /** The request for one value of `params`. */
  request: (params: P) => InvokeEndpointInput;
  /** Reads the answer. @default the body as JSON */
  parse?: (output: InvokeEndpointOutput) => T;
  /**
   * Wraps each call's events, e.g. `(events) => events.pipe(timeoutInvocation(10_000), retryInvocation({ maxAttempts: 3 }))`.
   * @default no wrapping
   */
  pipe?: (events: Observable<InvokeEvent>) => Observable<InvokeEvent>;
  /** The client. @default inject(SageMakerClient) */
  client?: SageMakerClient;
  /** Where the resource lives, outside an injection context. @default the current injection context */
  injector?: Injector;
}

/** Parses a body as JSON (the default of `invocationResource`). */
export function parseJsonBody<T>(out: InvokeEndpointOutput): T {
  return JSON.parse(utf8.decode(out.Body)) as T;
}

/**
 * One invocation as a resource: `value()` is the parsed answer, `isLoading()` while the call is in
 * flight, `error()` the typed `SageMakerRuntimeError` when it failed. A new `params` value cancels
 * the call in flight (its request is aborted) and starts another; destroying the owner aborts it.
 *
 * @example
 * ```ts
 * import { signal } from '@angular/core';
 * import { invocationResource } from 'sagemaker-rx/angular';
 *
 * readonly review = signal<string | undefined>(undefined);
 * readonly sentiment = invocationResource<string, { label: string }>({
 *   params: this.review,
 *   request: (text) => ({ EndpointName: 'reviews', Body: JSON.stringify({ text }), ContentType: 'application/json' }),
 * });
 * // template: {{ sentiment.value()?.label }}
 * ```
 */
export function invocationResource<P, T>(options: InvocationResourceOptions<P, T>): ResourceRef<T | undefined> {
  const injector = options.injector ?? inject(Injector);
  const client = options.client ?? injector.get(SageMakerClient);
  const parse = options.parse ?? parseJsonBody<T>;
  const wrap = options.pipe ?? ((events) => events);
  return rxResource<T, P | undefined>({
    params: options.params,
    stream: ({ params }) => wrap(client.invokeEndpoint$(options.request(params as P))).pipe(output(), map(parse)),
    injector,
  });
}

/** The text of a token stream so far. */
export interface TokenStreamState {
  /** The text generated so far. */
  text: string;
  /** Text events received so far. */
  tokens: number;
  /** True once the stream ended with its `response`. */
  done: boolean;
}

/** Options of `tokenStreamResource`. */
export interface TokenStreamResourceOptions<P> {
  /** The reactive params: a stream starts for each new value; `undefined` means "nothing to stream yet". */
  params: () => P | undefined;
  /** The request for one value of `params`. */
  request: (params: P) => InvokeEndpointWithResponseStreamInput;
  /** How to find the text in each streamed record. @default textDeltas()'s defaults */
  textDeltas?: TextDeltasConfig;
  /** Wraps each call's events, e.g. `(events) => events.pipe(timeoutInvocation({ idle: 5_000 }))`. @default no wrapping */
  pipe?: (events: Observable<InvokeStreamEvent>) => Observable<InvokeStreamEvent>;
  /** The client. @default inject(SageMakerClient) */
  client?: SageMakerClient;
  /** Where the resource lives, outside an injection context. @default the current injection context */
  injector?: Injector;
}

/**
 * A response stream as a resource: `value()` grows as tokens arrive (`{ text, tokens, done }`),
 * `error()` holds the typed error if the stream failed (even after some text). A new `params`
 * value, or destroying the owner, aborts the stream in flight: the server sees the request closed.
 *
 * @example
 * ```ts
 * readonly prompt = signal<string | undefined>(undefined);
 * readonly answer = tokenStreamResource<string>({
 *   params: this.prompt,
 *   request: (inputs) => ({ EndpointName: 'llm', Body: JSON.stringify({ inputs, stream: true }), ContentType: 'application/json' }),
 * });
 * // template: {{ answer.value()?.text }}
 * ```
 */
export function tokenStreamResource<P>(options: TokenStreamResourceOptions<P>): ResourceRef<TokenStreamState | undefined> {
  const injector = options.injector ?? inject(Injector);
  const client = options.client ?? injector.get(SageMakerClient);
  const wrap = options.pipe ?? ((events) => events);
  const initial: TokenStreamState = { text: '', tokens: 0, done: false };
  return rxResource<TokenStreamState, P | undefined>({
    params: options.params,
    stream: ({ params }) =>
      wrap(client.invokeEndpointWithResponseStream$(options.request(params as P))).pipe(
        textDeltas(options.textDeltas ?? {}),
        scan((state: TokenStreamState, e) => {
          // A failure, even after some text, is the resource's error (failures are events until here).
          if (e.type === 'error') throw e.error;
          if (e.type === 'text') return { ...state, text: state.text + e.text, tokens: state.tokens + 1 };
          if (e.type === 'response') return { ...state, done: true };
          return state;
        }, initial),
        distinctUntilChanged(),
        startWith(initial),
      ),
    injector,
  });
}

