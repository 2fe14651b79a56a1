import { Cancellation } from '../../src/transport/cancellation';

describe('Cancellation', () => {
  it('calls its listener once with the reason, and its signal (made later) is aborted with the same reason', () => {
    const cancellation = new Cancellation();
    const seen: unknown[] = [];
    cancellation.onAbort((reason) => seen.push(reason));
    const reason = new Error('stop');
    cancellation.abort(reason);
    cancellation.abort(new Error('again'));
    expect(seen).toEqual([reason]);
    expect([cancellation.aborted, cancellation.reason]).toEqual([true, reason]);
    expect(cancellation.signal.aborted).toBe(true);
    expect(cancellation.signal.reason).toBe(reason);
  });

  it('aborts a signal made before the abort, with an AbortError when no reason is given', () => {
    const cancellation = new Cancellation();
    const signal = cancellation.signal;
    expect(signal.aborted).toBe(false);
    cancellation.abort();
    expect(signal.aborted).toBe(true);
    expect((signal.reason as DOMException).name).toBe('AbortError');
    expect(cancellation.reason).toBe(signal.reason);
  });

  it('calls a listener registered after the abort at once, and never a removed one', () => {
    const removed = jest.fn();
    const live = new Cancellation();
    live.onAbort(removed);
    live.onAbort(undefined);
    live.abort();
    expect(removed).not.toHaveBeenCalled();
    const late = jest.fn();
    live.onAbort(late);
    expect(late).toHaveBeenCalledWith(live.reason);
  });
});
