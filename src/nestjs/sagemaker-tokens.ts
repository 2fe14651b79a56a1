/**
 * Injection tokens of `SageMakerModule`: one client token per name, so an application can hold
 * clients for several regions or accounts side by side (`forRoot({ name: 'us', … })`).
 */
import { Inject } from '@nestjs/common';

/** The name of the client registered without one. */
export const DEFAULT_SAGEMAKER_CLIENT_NAME = 'default';

/**
 * The injection token of the `SageMakerRuntime` registered under `name` (the default client when
 * omitted). Use it with `moduleRef.get(...)`, in `inject: [...]` lists, or to override the client in
 * a `Test.createTestingModule(...)` (`.overrideProvider(getSageMakerToken()).useValue(...)`).
 */
export function getSageMakerToken(name: string = DEFAULT_SAGEMAKER_CLIENT_NAME): string {
  return name === DEFAULT_SAGEMAKER_CLIENT_NAME ? 'SageMakerRuntime' : `SageMakerRuntime:${name}`;
}

/**
 * Injects the `SageMakerRuntime` that `SageMakerModule.forRoot/forRootAsync` registered under
 * `name` (the default client when omitted).
 *
 * @example
 * ```ts
 * import { InjectSageMaker } from 'sagemaker-rx/nestjs';
 * import type { SageMakerRuntime } from 'sagemaker-rx';
 *
 * @Injectable()
 * export class ReviewsService {
 *   constructor(@InjectSageMaker() private readonly sagemaker: SageMakerRuntime) {}
 * }
 * ```
 */
export function InjectSageMaker(name?: string): PropertyDecorator & ParameterDecorator {
  return Inject(getSageMakerToken(name));
}
