/**
 * `output()`: from lifecycle events to plain RxJS — the terminal output as the value, the typed
 * error as an error notification.
 */
import { filter, map, type OperatorFunction } from 'rxjs';
import { isTerminalEvent } from './guards.js';
import type { AnyInvokeEvent } from './invoke-event.js';

/** The output type a stream of events ends with: `response`'s or `accepted`'s `output`. */
export type OutputOf<E> = E extends { type: 'response' | 'accepted'; output: infer O } ? O : never;

/**
 * Turns the events of an invocation into its output: emits the `output` of the `response`
 * (or `accepted`) event, throws the `SageMakerRuntimeError` of an `error` event as an error
 * notification, ignores every other event (`sent`, `retry`, `chunk`, …), and completes when
 * the source does. For `firstValueFrom`, Angular's `async` pipe and `catchError`.
 *
 * @example
 * ```ts
 * import { firstValueFrom } from 'rxjs';
 * import { output } from 'sagemaker-rx';
 *
 * const out = await firstValueFrom(client.invokeEndpoint$({ EndpointName: 'echo', Body: 'hi' }).pipe(output()));
 * console.log(out.$metadata.httpStatusCode);
 * // 200
 * ```
 */
export function output<E extends AnyInvokeEvent>(): OperatorFunction<E, OutputOf<E>> {
  return (source) =>
    source.pipe(
      filter(isTerminalEvent),
      map((event) => {
        if (event.type === 'error') throw event.error;
        return event.output as OutputOf<E>;
      }),
    );
}
