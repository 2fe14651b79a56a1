/** Protocol-level header names and media types shared by every operation (restJson1 as AWS runs it). */

/** Where the request id is read from, first match wins (as the AWS SDK reads it). */
export const REQUEST_ID_HEADERS = ['x-amzn-requestid', 'x-amzn-request-id', 'x-amz-request-id'] as const;
/** The error code of an error answer, possibly decorated (`Name:namespace`). */
export const ERROR_TYPE_HEADER = 'x-amzn-errortype';
/** Server hints on when to retry: seconds or an HTTP date, and milliseconds. */
export const RETRY_AFTER_HEADERS = { retryAfter: 'retry-after', amzRetryAfterMs: 'x-amz-retry-after' } as const;

/** The HTTP content type the AWS SDK sends for a blob payload when `ContentType` is not given. */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** The HTTP content type of a response stream. */
export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';
