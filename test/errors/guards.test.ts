import * as errors from '../../src/index.js';
import { serviceError } from '../../src/testing/event-builders.js';

// Each guard and an error it must accept.
const cases: Array<[keyof typeof errors, Error]> = [
  ['isValidationError', serviceError('ValidationError')],
  ['isModelError', serviceError('ModelError')],
  ['isModelNotReadyException', serviceError('ModelNotReadyException')],
  ['isInternalFailure', serviceError('InternalFailure')],
  ['isServiceUnavailable', serviceError('ServiceUnavailable')],
  ['isInternalDependencyException', serviceError('InternalDependencyException')],
  ['isModelStreamError', serviceError('ModelStreamError')],
  ['isInternalStreamFailure', serviceError('InternalStreamFailure')],
  ['isInvalidRequestError', new errors.InvalidRequestError({ member: 'Body', rule: 'is required' })],
  ['isNetworkError', new errors.NetworkError({ message: 'reset', code: 'ECONNRESET' })],
  ['isTimeoutError', new errors.TimeoutError({ phase: 'headers', ms: 5 })],
  ['isCredentialsError', new errors.CredentialsError({ message: 'no keys' })],
];

describe('error type guards', () => {
  it.each(cases)('%s accepts its own error and rejects every other one', (guard, own) => {
    const test = errors[guard] as (e: unknown) => boolean;
    expect(test(own)).toBe(true);
    for (const [, other] of cases.filter(([g]) => g !== guard)) expect(test(other)).toBe(false);
    expect(test({ name: own.name })).toBe(false); // not an Error
  });

  it('tests the name, not the class, so an error from another copy of the library passes', () => {
    class ModelError extends Error {
      override name = 'ModelError';
    }
    expect(errors.isModelError(new ModelError('from another copy'))).toBe(true);
    expect(errors.isModelError(new errors.ValidationError({ message: 'x' }))).toBe(false);
  });
});
