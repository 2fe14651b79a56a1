/**
 * Injection tokens of the `SageMakerModule`. A token, not the class, is what services inject: the
 * module decides how the client is built, and a test module can provide a client pointed at the
 * emulator (or built with `scriptedTransport()` from `sagemaker-rx/testing`) under the same token.
 */

/** The token of the module's `SageMakerRuntime` client: `@Inject(SAGEMAKER_RUNTIME) client: SageMakerRuntime`. */
export const SAGEMAKER_RUNTIME = Symbol('SAGEMAKER_RUNTIME');

/** The token of the `SageMakerRuntimeConfig` the client was built from (as `forRoot` got it or `forRootAsync`'s factory made it). */
export const SAGEMAKER_MODULE_OPTIONS = Symbol('SAGEMAKER_MODULE_OPTIONS');
