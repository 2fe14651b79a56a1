import { errorLine, errorToJson, exitCodeFor } from '../../src/cli/error-report.js';
import { InvalidRequestError, TimeoutError } from '../../src/errors/client-errors.js';
import { BatchDecodeError } from '../../src/operators/batch-decode-error.js';
import { UsageError } from '../../src/cli/usage-error.js';

describe('errorToJson (the error member of an errors-file line)', () => {
  it('keeps the counts and the batch of a BatchDecodeError', () => {
    const error = new BatchDecodeError({ batchId: 7, expected: 16, got: 15, $metadata: { httpStatusCode: 200 } });
    expect(errorToJson(error)).toEqual({
      name: 'BatchDecodeError',
      message: error.message,
      retryable: false,
      throttling: false,
      $metadata: { httpStatusCode: 200 },
      expected: 16,
      got: 15,
      batchId: 7,
    });
  });

  it('keeps the member and rule of an InvalidRequestError and the phase of a TimeoutError', () => {
    expect(errorToJson(new InvalidRequestError({ member: 'field', rule: 'the record has no field "text"' }))).toMatchObject({
      member: 'field',
      rule: 'the record has no field "text"',
    });
    expect(errorToJson(new TimeoutError({ phase: 'each', ms: 700 }))).toMatchObject({ phase: 'each', ms: 700, retryable: true });
  });
});

describe('errorLine and exitCodeFor', () => {
  it('says the status, request id and attempts, and maps bad input to exit code 2', () => {
    const error = new TimeoutError({ phase: 'each', ms: 700, $metadata: { attempts: 3 } });
    expect(errorLine(error)).toBe('TimeoutError: each timeout after 700 ms (3 attempts)');
    expect(exitCodeFor(error)).toBe(1);
    expect(exitCodeFor(new InvalidRequestError({ member: 'Body', rule: 'required' }))).toBe(2);
    expect(exitCodeFor(new UsageError('bad'))).toBe(2);
  });
});
