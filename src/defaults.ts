/** Values users may override; each option's doc names the one it defaults to. */

/** Attempts `retryInvocation` makes, the first included (AWS SDK standard mode). */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Connections per origin of the undici transport (the AWS SDK's `maxSockets`). */
export const DEFAULT_MAX_CONNECTIONS = 50;
/** Time to establish a connection (TCP + TLS), in ms. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Headers and body read timeout in ms: the service gives a model 60 s; SageMaker advises a 70 s client read timeout. */
export const DEFAULT_READ_TIMEOUT_MS = 70_000;
/** Full-jitter backoff base for transient errors, in ms (AWS SDK standard mode, reference §5.1). */
export const DEFAULT_RETRY_BASE_DELAY_MS = 100;
/** Full-jitter backoff base for throttling errors, in ms (AWS SDK standard mode, reference §5.1). */
export const DEFAULT_THROTTLING_RETRY_BASE_DELAY_MS = 500;
/** The cap of one backoff delay, in ms (AWS SDK standard mode, reference §5.1). */
export const DEFAULT_MAX_RETRY_DELAY_MS = 20_000;
/** Credentials are refreshed this long before they expire, in ms (`EXPIRATION_MS` of the AWS SDK). */
export const CREDENTIALS_REFRESH_WINDOW_MS = 300_000;
