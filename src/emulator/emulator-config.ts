/**
 * Validates emulator options (from code or a JSON config file) with errors that name the key
 * and the rule, and loads a JSON config file for `sagemaker-rx emulator --config file.json`.
 */
import { readFile } from 'node:fs/promises';
import { NAME_PATTERN, REQUEST_MEMBERS } from '../model/index.js';
import type { EmulatorOptions } from './types.js';

/** An invalid emulator option: `key` is its path (`endpoints.echo.faults.throttleRate`), `rule` what it must be. */
export class EmulatorConfigError extends Error {
  override name = 'EmulatorConfigError' as const;
  /** The option's path, dot-separated. */
  readonly key: string;
  /** The rule it broke, in words. */
  readonly rule: string;
  constructor(key: string, rule: string, source?: string) {
    super(`${source ? `${source}: ` : ''}${key}: ${rule}`);
    this.key = key;
    this.rule = rule;
  }
}

/** Options of the validator. */
export interface ValidateEmulatorOptionsConfig {
  /** Accept model functions and `failWhen` (from code), or not (from JSON). @default false */
  allowFunctions?: boolean;
  /** Named in messages, e.g. the config file path. */
  source?: string;
}

type Check = (value: unknown, key: string) => void;
type Rules = Record<string, Check>;

const BUILT_IN_MODELS = ['echo', 'sentiment', 'text-generator'] as const;

/** Runs a validation with messages that name the source. */
function withSource<T>(source: string | undefined, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof EmulatorConfigError && source) throw new EmulatorConfigError(err.key, err.rule, source);
    throw err;
  }
}

const describe = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : typeof v === 'function' ? 'a function' : JSON.stringify(v) ?? String(v));
const fail = (key: string, rule: string, value: unknown): never => {
  throw new EmulatorConfigError(key, `${rule}, got ${describe(value)}`);
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const string: Check = (v, key) => {
  if (typeof v !== 'string' || v === '') fail(key, 'must be a non-empty string', v);
};
const number =
  (min: number, max = Infinity, integer = false): Check =>
  (v, key) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      fail(key, `must be ${integer ? 'an integer' : 'a number'} ${max === Infinity ? `>= ${min}` : `from ${min} to ${max}`}`, v);
    }
  };
const oneOf =
  (...allowed: readonly unknown[]): Check =>
  (v, key) => {
    if (!allowed.includes(v)) fail(key, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, v);
  };
const fn =
  (allowFunctions: boolean): Check =>
  (v, key) => {
    if (typeof v !== 'function') fail(key, allowFunctions ? 'must be a function' : 'must be a function (not available in a JSON config)', v);
    if (!allowFunctions) fail(key, 'functions are only accepted from code, not from a JSON config', v);
  };

function object(rules: Rules): Check {
  return (v, key) => {
    if (!isPlainObject(v)) fail(key, 'must be an object', v);
    const record = v as Record<string, unknown>;
    for (const [k, value] of Object.entries(record)) {
      const path = key ? `${key}.${k}` : k;
      const check = Object.hasOwn(rules, k) ? rules[k] : undefined; // not `toString`, `constructor`, `__proto__` of Object
      if (!check) throw new EmulatorConfigError(path, `unknown option (allowed: ${Object.keys(rules).join(', ')})`);
      if (value !== undefined) check(value, path);
    }
  };
}

function rate(): Check {
  return number(0, 1);
}

function faultRules(allowFunctions: boolean): Rules {
  return {
    latencyMs: number(0),
    jitterMs: number(0),
    throttleRate: rate(),
    throttleAs: oneOf('ModelNotReadyException', 'ThrottlingException'),
    serverErrorRate: rate(),
    serverErrorStatus: oneOf(500, 503),
    modelErrorRate: rate(),
    modelErrorStatus: number(100, 599, true),
    resetRate: rate(),
    maxConcurrency: number(0, Infinity, true),
    overConcurrencyAs: oneOf('ThrottlingException', 'ModelNotReadyException'),
    maxRatePerSecond: number(0, Infinity, true),
    failWhen: fn(allowFunctions),
    stream: object({
      fault: oneOf('ModelStreamError', 'InternalStreamFailure', 'truncate', 'stall'),
      afterChunks: number(0, Infinity, true),
      errorCode: oneOf('ModelInvocationTimeExceeded', 'StreamBroken'),
    }),
  };
}

const splitAt: Check = (v, key) => {
  if (v === 'random' || v === 'utf8-inside') return;
  if (!Array.isArray(v)) fail(key, 'must be an array of byte offsets, "random" or "utf8-inside"', v);
  (v as unknown[]).forEach((o, i) => number(0, Infinity, true)(o, `${key}[${i}]`));
};

const modelRule =
  (allowFunctions: boolean): Check =>
  (v, key) => {
    if (typeof v === 'function') return fn(allowFunctions)(v, key);
    oneOf(...BUILT_IN_MODELS)(v, key);
  };

/** A map of names (variant, component, hostname: the name pattern, at most 63) to configs checked by `check`. */
function namedMap(check: Check, what: string, pattern: RegExp, patternText: string): Check {
  return (v, key) => {
    if (!isPlainObject(v) || Object.keys(v).length === 0) fail(key, `must be an object of ${what} name to { model, … } with at least one entry`, v);
    for (const [name, config] of Object.entries(v as Record<string, unknown>)) {
      if (name.length > 63 || !pattern.test(name)) throw new EmulatorConfigError(`${key}.${name}`, `${what} names are at most 63 characters of ${patternText}`);
      check(config, `${key}.${name}`);
      if ((config as Record<string, unknown>)['model'] === undefined) throw new EmulatorConfigError(`${key}.${name}.model`, 'is required');
    }
  };
}

const NAME_TEXT = '^[a-zA-Z0-9](-*[a-zA-Z0-9])*$';
/** Component names follow the model's `InferenceComponentName` rule. */
const COMPONENT_PATTERN: RegExp = REQUEST_MEMBERS.InvokeEndpoint.InferenceComponentName.pattern ?? NAME_PATTERN;

/** The members that say what kind an endpoint is: exactly one of them. */
const KIND_MEMBERS = ['model', 'variants', 'inferenceComponents', 'containers'] as const;

/** An endpoint is of exactly one kind; `targetModels` and `variant` belong to a `model` endpoint. */
function checkEndpointKind(config: Record<string, unknown>, key: string): void {
  const set = KIND_MEMBERS.filter((k) => config[k] !== undefined);
  if (set.length === 0) throw new EmulatorConfigError(`${key}.model`, `is required (or one of ${KIND_MEMBERS.slice(1).join(', ')})`);
  if (set.length !== 1) {
    throw new EmulatorConfigError(key, `needs exactly one of ${KIND_MEMBERS.join(', ')} (got ${set.length === 0 ? 'none' : set.join(', ')})`);
  }
  for (const member of ['targetModels', 'variant'] as const) {
    if (config[member] !== undefined && set[0] !== 'model') throw new EmulatorConfigError(`${key}.${member}`, `only goes with model (a single-model or multi-model endpoint), not with ${set[0]}`);
  }
}

function endpointRules(allowFunctions: boolean): Rules {
  const hosted = object({ model: modelRule(allowFunctions) });
  return {
    model: modelRule(allowFunctions),
    variant: string,
    targetModels: (v, key) => {
      if (!Array.isArray(v) || v.length === 0) fail(key, 'must be a non-empty array of model names (TargetModel values)', v);
      (v as unknown[]).forEach((m, i) => {
        if (typeof m !== 'string' || m.length === 0 || m.length > 1024) fail(`${key}[${i}]`, 'must be a string of 1 to 1024 characters', m);
      });
    },
    variants: namedMap(
      object({
        model: modelRule(allowFunctions),
        weight: (v, key) => {
          number(0)(v, key);
          if (v === 0) fail(key, 'must be a number > 0', v);
        },
      }),
      'variant',
      NAME_PATTERN,
      NAME_TEXT,
    ),
    inferenceComponents: namedMap(hosted, 'inference component', COMPONENT_PATTERN, COMPONENT_PATTERN.source),
    containers: namedMap(hosted, 'container hostname', NAME_PATTERN, NAME_TEXT),
    explainer: (v, key) => {
      if (typeof v !== 'boolean') fail(key, 'must be true or false', v);
    },
    faults: object(faultRules(allowFunctions)),
    generator: object({
      tokensPerSecond: (v, key) => {
        number(0)(v, key);
        if (v === 0) fail(key, 'must be a number > 0', v);
      },
      format: oneOf('jsonl', 'sse'),
      text: (v, key) => {
        if (typeof v !== 'string') fail(key, 'must be a string', v);
      },
      splitAt,
    }),
  };
}

const credential = object({ accessKeyId: string, secretAccessKey: string, sessionToken: string });

function rootRules(allowFunctions: boolean): Rules {
  return {
    port: number(0, 65_535, true),
    host: string,
    region: string,
    credentials: (v, key) => {
      if (v === false) return;
      if (!Array.isArray(v)) fail(key, 'must be an array of { accessKeyId, secretAccessKey, sessionToken? } or false', v);
      (v as unknown[]).forEach((c, i) => {
        credential(c, `${key}[${i}]`);
        for (const required of ['accessKeyId', 'secretAccessKey']) {
          if ((c as Record<string, unknown>)[required] === undefined) throw new EmulatorConfigError(`${key}[${i}].${required}`, 'is required');
        }
      });
    },
    endpoints: (v, key) => {
      if (!isPlainObject(v)) fail(key, 'must be an object of endpoint name to { model, … }', v);
      const check = object(endpointRules(allowFunctions));
      for (const [name, config] of Object.entries(v as Record<string, unknown>)) {
        if (name.length > 63 || !NAME_PATTERN.test(name)) {
          throw new EmulatorConfigError(`${key}.${name}`, 'endpoint names are at most 63 characters of ^[a-zA-Z0-9](-*[a-zA-Z0-9])*$');
        }
        check(config, `${key}.${name}`);
        checkEndpointKind(config as Record<string, unknown>, `${key}.${name}`);
      }
    },
    accountId: (v, key) => {
      if (typeof v !== 'string' || !/^\d{12}$/.test(v)) fail(key, 'must be a string of 12 digits', v);
    },
    seed: number(-Infinity, Infinity, true),
    clockSkewMs: number(0),
    modelTimeoutMs: (v, key) => {
      number(0)(v, key);
      if (v === 0) fail(key, 'must be a number > 0', v);
    },
    recordRequests: (v, key) => {
      if (v !== Infinity) number(0, Infinity, true)(v, key);
    },
    cors: (v, key) => {
      if (typeof v !== 'boolean') fail(key, 'must be true or false', v);
    },
  };
}

/**
 * Checks emulator options and throws an `EmulatorConfigError` naming the first bad key and
 * its rule. Unknown keys are errors (a typo must not silently disable a fault).
 */
export function validateEmulatorOptions(value: unknown, config: ValidateEmulatorOptionsConfig = {}): asserts value is EmulatorOptions {
  withSource(config.source, () => {
    if (!isPlainObject(value)) fail('(root)', 'must be an object', value);
    object(rootRules(config.allowFunctions ?? false))(value, '');
  });
}

/** Parses and validates the text of a JSON emulator config (no functions). */
export function parseEmulatorConfig(text: string, source?: string): EmulatorOptions {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new EmulatorConfigError('(file)', `is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, source);
  }
  validateEmulatorOptions(value, { allowFunctions: false, ...(source === undefined ? {} : { source }) });
  return value;
}

/**
 * Reads a JSON config file (the `EmulatorOptions` shape without functions) and validates it.
 * Rejects with an `EmulatorConfigError` naming the file, the key and the rule.
 *
 * @example
 * ```ts
 * const options = await loadEmulatorConfig('emulator.json');
 * const emulator = await startEmulator({ ...options, port: 8080 });
 * ```
 */
export async function loadEmulatorConfig(path: string): Promise<EmulatorOptions> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new EmulatorConfigError('(file)', `cannot be read: ${err instanceof Error ? err.message : String(err)}`, path);
  }
  return parseEmulatorConfig(text, path);
}
