/** Values users may override; each option's doc names the one it defaults to. */
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_MAX_CONNECTIONS = 50;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** The service gives a model 60 s; SageMaker advises a 70 s client read timeout. */
export const DEFAULT_READ_TIMEOUT_MS = 70_000;
/** Full-jitter backoff bases and cap of the AWS SDK standard mode (reference §5.1). */
export const DEFAULT_RETRY_BASE_DELAY_MS = 100;
export const DEFAULT_THROTTLING_RETRY_BASE_DELAY_MS = 500;
export const DEFAULT_MAX_RETRY_DELAY_MS = 20_000;
/** Credentials are refreshed this long before they expire (`EXPIRATION_MS` of the AWS SDK). */
export const CREDENTIALS_REFRESH_WINDOW_MS = 300_000;
