/**
 * SigV4 signing of one attempt over `@smithy/signature-v4` (service `sagemaker`, SHA-256 from
 * `@smithy/core/checksum`: node's crypto on Node, WebCrypto in browsers): a fresh date per attempt, the payload hash computed once per invocation input and
 * passed as `x-amz-content-sha256` so the signer never re-hashes a body, and the signer's own
 * signing-key cache reused across attempts.
 */
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentials } from '../credentials/aws-credentials.js';
import { SIGNING_SERVICE } from '../model/index.js';
import { USER_AGENT } from './user-agent.js';

/** A SHA-256 constructor as `@smithy/signature-v4` takes it (with a key, an HMAC). */
export type Sha256Constructor = new (secret?: string | Uint8Array) => {
  update(data: string | Uint8Array): void;
  digest(): Promise<Uint8Array>;
};

/** What to sign: the full URL's parts and the serialized request. */
export interface SignableRequest {
  readonly method: string;
  /** The endpoint URL; its host becomes the signed `host` header. */
  readonly endpoint: URL;
  /** The full path, the endpoint's base path included. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The hex SHA-256 of the body, from `payloadHash`. */
  readonly payloadHash: string;
}

/** Signs attempts for one client. */
export interface RequestSigner {
  /**
   * Returns the headers to send: the request's, plus `host`, `x-amz-date`,
   * `x-amz-content-sha256`, `x-amz-security-token` (session credentials), `authorization`
   * and `user-agent`. Rejects with the credential resolver's `CredentialsError`.
   */
  sign(request: SignableRequest, signingDate?: Date): Promise<Record<string, string>>;
  /** The hex SHA-256 of a body: compute it once per invocation input. */
  payloadHash(body: Uint8Array): Promise<string>;
}

/** Options of `createRequestSigner`. */
export interface RequestSignerOptions {
  /** The signing region: the client's region. */
  region: string;
  /** The client's memoised credentials (`createCredentialResolver`). */
  credentials: () => Promise<AwsCredentials>;
  /** @default Sha256 from @smithy/core/checksum (node:crypto on Node, WebCrypto in browsers) */
  sha256?: Sha256Constructor;
  /** @default 'sagemaker-rx/<version>' */
  userAgent?: string;
}

/**
 * Creates the signer of one client: one `SignatureV4` (service `sagemaker`, URI path escaping
 * and `x-amz-content-sha256` on, as the AWS SDK signs SageMaker Runtime requests). The signing
 * key is derived once per day, region and credentials and cached by `@smithy/signature-v4`.
 */
export function createRequestSigner({
  region,
  credentials,
  sha256 = Sha256 as Sha256Constructor,
  userAgent = USER_AGENT,
}: RequestSignerOptions): RequestSigner {
  const signer = new SignatureV4({ service: SIGNING_SERVICE, region, sha256: sha256 as never, uriEscapePath: true, applyChecksum: true, credentials });
  return {
    async sign(request, signingDate = new Date()) {
      const headers: Record<string, string> = { ...request.headers, host: request.endpoint.host, 'x-amz-content-sha256': request.payloadHash };
      const signed = await signer.sign(
        {
          method: request.method,
          protocol: request.endpoint.protocol,
          hostname: request.endpoint.hostname,
          port: request.endpoint.port === '' ? undefined : Number(request.endpoint.port),
          path: request.path,
          query: {},
          headers,
        },
        { signingDate },
      );
      const out = { ...(signed.headers as Record<string, string>) };
      out['user-agent'] = userAgent;
      return out;
    },
    async payloadHash(body) {
      const hash = new sha256();
      hash.update(body);
      return toHex(await hash.digest());
    },
  };
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
