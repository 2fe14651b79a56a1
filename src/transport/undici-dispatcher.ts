/**
 * The undici dispatcher behind the default transport: a keep-alive `Agent`, or an
 * `EnvHttpProxyAgent` when a proxy is configured (`HTTPS_PROXY`/`HTTP_PROXY`, lower-case first as
 * curl and undici read them, with `NO_PROXY` bypassing it), or the caller's own dispatcher. TLS
 * options (`ca`, `rejectUnauthorized`) apply to the endpoint's connection whether it is direct or
 * tunnelled through the proxy.
 */
import { Agent, EnvHttpProxyAgent, type buildConnector, type Dispatcher } from 'undici';

/** The connection settings of `createUndiciTransport`. */
export interface DispatcherOptions {
  maxConnections: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** Certificate authorities to trust instead of Node's bundled ones (PEM). */
  ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** `false` accepts any server certificate (tests against a self-signed endpoint only). @default true */
  rejectUnauthorized?: boolean;
  /** How long an idle pooled socket is kept, in ms (undici's default: 4 000). */
  keepAliveTimeoutMs?: number;
  /** The cap on a server's keep-alive hint, in ms (undici's default: 600 000). */
  keepAliveMaxTimeoutMs?: number;
  /** `'env'` reads the proxy variables of `env`; an object gives them; `false` never proxies. @default 'env' */
  proxy?: 'env' | false | { httpProxy?: string; httpsProxy?: string; noProxy?: string };
  /** The environment the proxy variables are read from. @default process.env */
  env?: Record<string, string | undefined>;
  /** The connector of direct connections (the transport's, which skips interim answers); a proxy tunnels with its own. */
  connect?: buildConnector.connector;
}

/** The proxy settings in `env`: lower-case names win, as in undici and curl. */
export function proxyFromEnv(env: Record<string, string | undefined>): { httpProxy?: string; httpsProxy?: string; noProxy?: string } | undefined {
  const httpProxy = env.http_proxy || env.HTTP_PROXY || undefined;
  const httpsProxy = env.https_proxy || env.HTTPS_PROXY || undefined;
  const noProxy = env.no_proxy ?? env.NO_PROXY;
  if (!httpProxy && !httpsProxy) return undefined;
  return { ...(httpProxy && { httpProxy }), ...(httpsProxy && { httpsProxy }), ...(noProxy !== undefined && { noProxy }) };
}

/** Creates the dispatcher for these options: an `EnvHttpProxyAgent` when a proxy is set, else an `Agent`. */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { ca, rejectUnauthorized, keepAliveTimeoutMs, keepAliveMaxTimeoutMs } = options;
  const tls = { ...(ca !== undefined && { ca: ca as string | Buffer | Array<string | Buffer> }), ...(rejectUnauthorized !== undefined && { rejectUnauthorized }) };
  const agentOptions: Agent.Options = {
    connections: options.maxConnections,
    connect: options.connect ?? { timeout: options.connectTimeoutMs, ...tls },
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
    ...(keepAliveTimeoutMs !== undefined && { keepAliveTimeout: keepAliveTimeoutMs }),
    ...(keepAliveMaxTimeoutMs !== undefined && { keepAliveMaxTimeout: keepAliveMaxTimeoutMs }),
  };
  const proxy = options.proxy === false ? undefined : options.proxy === undefined || options.proxy === 'env' ? proxyFromEnv(options.env ?? process.env) : options.proxy;
  if (proxy === undefined) return new Agent(agentOptions);
  // Undefined members would make EnvHttpProxyAgent fall back to process.env: pass empty strings.
  return new EnvHttpProxyAgent({
    ...agentOptions,
    httpProxy: proxy.httpProxy ?? '',
    httpsProxy: proxy.httpsProxy ?? '',
    noProxy: proxy.noProxy ?? '',
    requestTls: { ...tls, timeout: options.connectTimeoutMs },
  });
}
