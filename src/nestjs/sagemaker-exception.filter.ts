import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { isSageMakerRuntimeError } from '../index.js';
import { mapSageMakerError } from './sagemaker-error-mapping.js';

/**
 * An exception filter that answers a `SageMakerRuntimeError` (thrown by `output()`,
 * `invokeEndpoint()` or an `error` event a handler rethrows) with `mapSageMakerError`'s status,
 * headers (`Retry-After`, `x-amzn-RequestId`) and JSON body; anything else goes to Nest's default
 * handling. It catches every exception and tests the name-based guard rather than `instanceof`, so it
 * holds when two copies of the library are loaded.
 *
 * @example
 * ```ts
 * import { APP_FILTER } from '@nestjs/core';
 * import { SageMakerExceptionFilter } from 'sagemaker-rx/nestjs';
 *
 * @Module({ providers: [{ provide: APP_FILTER, useClass: SageMakerExceptionFilter }] })
 * export class AppModule {}
 * // or: app.useGlobalFilters(new SageMakerExceptionFilter(app.get(HttpAdapterHost).httpAdapter));
 * ```
 */
@Catch()
export class SageMakerExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (!isSageMakerRuntimeError(exception) || host.getType() !== 'http') {
      super.catch(exception, host);
      return;
    }
    const { status, headers, body } = mapSageMakerError(exception);
    const adapter = this.httpAdapterHost?.httpAdapter ?? this.applicationRef;
    const response: unknown = host.switchToHttp().getResponse();
    if (adapter === undefined) {
      super.catch(exception, host); // no adapter to answer with: let Nest do it
      return;
    }
    if (adapter.isHeadersSent(response)) {
      // A streamed answer already started (an SSE stream that failed midway): only ending it is left.
      adapter.end(response);
      return;
    }
    for (const [name, value] of Object.entries(headers)) adapter.setHeader(response, name, value);
    adapter.reply(response, body, status);
  }
}
