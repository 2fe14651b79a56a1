/**
 * `POST /reviews/classify` scores one text, optionally on one production variant (a failure
 * becomes the mapped HTTP error);
 * `POST /reviews/enrich` scores a batch of records, each answered on its own: a record that
 * fails carries its error, the others their sentiment, and every record comes back as it was sent
 * with one field added.
 */
import { BadRequestException, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { from, map, toArray, type Observable } from 'rxjs';
import { invokeEach, isInvocationSuccess, output, retryInvocation, timeoutInvocation, type InvokeEndpointInput, type InvokeEndpointOutput, type SageMakerRuntime } from '../../src/index.js';
import { InjectSageMaker } from '../../src/nestjs/index.js';
import { APP_SETTINGS, type AppSettings } from './app-settings.js';

/** What the sentiment model answers for one text. */
export interface Sentiment {
  label: 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL';
  score: number;
}

/** The field `enrich` adds to each record. */
export const ENRICH_FIELD = 'sentiment';

/** One record of an enriched batch: the record as sent, plus `sentiment` or `sentimentError`. */
export type EnrichedRecord = Record<string, unknown>;

function decode(out: InvokeEndpointOutput): Sentiment {
  return JSON.parse(Buffer.from(out.Body).toString('utf8')) as Sentiment;
}

/** Checks the batch before any call: a batch that cannot succeed stops here, saying why. */
function validateBatch(body: unknown, max: number): Array<Record<string, unknown> & { text: string }> {
  const records = (body as { records?: unknown } | null)?.records;
  if (!Array.isArray(records)) throw new BadRequestException('body.records must be an array of records');
  if (records.length > max) throw new BadRequestException(`body.records holds ${records.length} records; at most ${max} per batch`);
  records.forEach((record: unknown, i) => {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new BadRequestException(`body.records[${i}] must be an object`);
    if (typeof (record as { text?: unknown }).text !== 'string') throw new BadRequestException(`body.records[${i}].text must be a string`);
    // The answer is added, never written over what the caller sent.
    for (const field of [ENRICH_FIELD, `${ENRICH_FIELD}Error`]) {
      if (field in record) throw new BadRequestException(`body.records[${i}] already has a "${field}" field; enrich would overwrite it`);
    }
  });
  return records as Array<Record<string, unknown> & { text: string }>;
}

@Controller('reviews')
export class ReviewsController {
  constructor(
    @InjectSageMaker() private readonly sagemaker: SageMakerRuntime,
    @Inject(APP_SETTINGS) private readonly settings: AppSettings,
  ) {}

  private toInput(text: string, variant?: string): InvokeEndpointInput {
    return {
      EndpointName: this.settings.reviewsEndpointName,
      Body: JSON.stringify({ text }),
      ContentType: 'application/json',
      Accept: 'application/json',
      ...(variant !== undefined ? { TargetVariant: variant } : {}),
    };
  }

  /**
   * Scores one text. Nest subscribes to the Observable; a failure (after retries) is thrown by
   * `output()` and answered by `SageMakerExceptionFilter` (429, 424, 400, 502, …).
   */
  @Post('classify')
  @HttpCode(200)
  classify(@Body() body: { text?: unknown; variant?: unknown }): Observable<Sentiment> {
    if (typeof body?.text !== 'string') throw new BadRequestException('body.text must be a string');
    if (body.variant !== undefined && typeof body.variant !== 'string') throw new BadRequestException('body.variant must be a string');
    // The variant goes to the client as given: its own validation names the member and the rule.
    return this.sagemaker.invokeEndpoint$(this.toInput(body.text, body.variant)).pipe(
      timeoutInvocation(this.settings.attemptTimeoutMs),
      retryInvocation({ maxAttempts: 2, quota: this.sagemaker.retryQuota }),
      output(),
      map(decode),
    );
  }

  /** Scores a batch, 4 calls in flight, answers in input order; failures are per record. */
  @Post('enrich')
  @HttpCode(200)
  enrich(@Body() body: unknown): Observable<{ records: EnrichedRecord[]; answered: number; failed: number }> {
    const records = validateBatch(body, this.settings.maxBatchRecords);
    return from(records).pipe(
      invokeEach(this.sagemaker, (record) => this.toInput(record.text), {
        concurrency: 4,
        ordered: true,
        retry: { maxAttempts: 3 },
        timeout: this.settings.attemptTimeoutMs,
      }),
      map((result): EnrichedRecord =>
        isInvocationSuccess(result)
          ? { ...result.item, [ENRICH_FIELD]: decode(result.output) }
          : { ...result.item, [`${ENRICH_FIELD}Error`]: { name: result.error.name, message: result.error.message, requestId: result.error.$metadata.requestId } },
      ),
      toArray(),
      map((out) => {
        const failed = out.filter((r) => `${ENRICH_FIELD}Error` in r).length;
        return { records: out, answered: out.length - failed, failed };
      }),
    );
  }
}
