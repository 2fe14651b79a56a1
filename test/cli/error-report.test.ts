import { errorLine, errorToJson, exitCodeFor } from '../../src/cli/output/error-report.js';
import { InvalidRequestError, TimeoutError } from '../../src/errors/client-errors.js';
import { ServiceError } from '../../src/errors/service-errors.js';
import { BatchDecodeError } from '../../src/operators/pipelines/batch-decode-error.js';
import { UsageError } from '../../src/cli/args/usage-error.js';
import { parseFieldPath } from '../../src/node/field-path.js';
import { payloadOf } from '../../src/node/record-payload.js';

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

  it('handles an error whose wire code is the name of an Object member', () => {
    const error = new ServiceError('constructor', { message: 'odd proxy', $metadata: { httpStatusCode: 400 } });
    expect(errorToJson(error)).toEqual({ name: 'constructor', message: 'odd proxy', retryable: false, throttling: false, $metadata: { httpStatusCode: 400 } });
  });
});

describe('payloadOf (the --field of a record)', () => {
  it('sends the member named by --field, and reports a record without it', () => {
    const of = (line: string, field?: string) => payloadOf(line, JSON.parse(line), field === undefined ? undefined : parseFieldPath(field, 'field'));
    expect(of('{"text":"great"}', 'text').value).toBe('great');
    expect(of('{"text":"great"}').json).toBe('{"text":"great"}');
    expect(of('{"n":{"v":1.10}}', 'n.v').json).toBe('1.10');
    expect(() => of('{"title":"x"}', 'text')).toThrow('the record has no field "text"');
    expect(() => of('{"text":"great"}', 'constructor')).toThrow('the record has no field "constructor"');
    expect(() => of('["a"]', 'text')).toThrow('not a JSON object');
    expect(() => of('{"a":1}', 'a.b')).toThrow('"a" is not a JSON object');
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
