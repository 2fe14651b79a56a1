/** The `user-agent` this library sends (never signed, as SigV4 leaves `user-agent` out). */

/** The package version; kept equal to package.json by a test. */
export const VERSION = '0.1.0';

/** `sagemaker-rx/<version>`. */
export const USER_AGENT = `sagemaker-rx/${VERSION}`;
