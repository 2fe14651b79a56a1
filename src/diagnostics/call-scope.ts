/**
 * Which call an attempt belongs to. `retryInvocation` resubscribes to its source for each attempt,
 * and RxJS subscribes synchronously down the chain, so the attempt engine can read the call that
 * is subscribing it from a variable set for the duration of that `subscribe`. Operators that
 * subscribe upstream later (`throttleInvocations` after a wait) capture the call at subscription
 * and restore it when they subscribe. The same idea as a synchronous context stack, without a
 * platform API, so it works in browsers too.
 */
import type { DiagnosticsCall } from './messages.js';

let current: DiagnosticsCall | undefined;
let lastCallId = 0;

/** A new call record, for one subscription to `retryInvocation`. */
export function createDiagnosticsCall(): DiagnosticsCall {
  return { id: ++lastCallId, attempt: 0 };
}

/** The call whose subscription is running now, if any. */
export function currentDiagnosticsCall(): DiagnosticsCall | undefined {
  return current;
}

/** Runs `subscribe` with `call` as the current call, and restores the previous one after. */
export function subscribeWithinCall<T>(call: DiagnosticsCall | undefined, subscribe: () => T): T {
  const previous = current;
  current = call;
  try {
    return subscribe();
  } finally {
    current = previous;
  }
}

/**
 * `source.subscribe(observer)` with `call` as the current call: `subscribeWithinCall` without a
 * closure per subscription, for the operators' hot path.
 */
export function subscribeObserverWithinCall<O, R>(call: DiagnosticsCall | undefined, source: { subscribe(observer: O): R }, observer: O): R {
  const previous = current;
  current = call;
  try {
    return source.subscribe(observer);
  } finally {
    current = previous;
  }
}
