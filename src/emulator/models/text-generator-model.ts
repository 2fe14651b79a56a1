/**
 * The `text-generator` model: emits its text token by token, as an LLM container does.
 * Streaming: each token is one line, JSON Lines `{"token":{"text":"…"}}\n` (TGI/LMI style) or
 * server-sent events `data: {"token":{"text":"…"}}\n\n`. `InvokeEndpoint`: the whole text as
 * `[{"generated_text":"…"}]`. A request body `{"parameters":{"max_new_tokens":N}}` limits the tokens.
 */
import { DEFAULT_GENERATOR_TEXT } from '../constants.js';
import type { GeneratorConfig, ModelRequest, ModelResponse } from '../types.js';

/** The container content type of each streaming format. */
export const GENERATOR_CONTENT_TYPES = { jsonl: 'application/jsonlines', sse: 'text/event-stream' } as const;

/** Splits a text into tokens: each word with the whitespace before it. */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

/** Formats one token as a line of the streaming format. */
export function formatToken(token: string, format: 'jsonl' | 'sse'): string {
  const json = JSON.stringify({ token: { text: token } });
  return format === 'sse' ? `data: ${json}\n\n` : `${json}\n`;
}

function maxNewTokens(req: ModelRequest): number | undefined {
  if (req.body.length === 0 || req.body[0] !== 0x7b /* { */) return undefined;
  try {
    const parsed = JSON.parse(req.body.toString('utf8')) as { parameters?: { max_new_tokens?: unknown } };
    const n = parsed?.parameters?.max_new_tokens;
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The tokens the generator answers this request with. */
export function generatorTokens(req: ModelRequest, config: GeneratorConfig = {}): string[] {
  const tokens = tokenize(config.text ?? DEFAULT_GENERATOR_TEXT);
  const limit = maxNewTokens(req);
  return limit === undefined ? tokens : tokens.slice(0, limit);
}

/** The generator's streamed output: one formatted line per token, as bytes. */
export function generatorStream(req: ModelRequest, config: GeneratorConfig = {}): { parts: Buffer[]; contentType: string } {
  const format = config.format ?? 'jsonl';
  return {
    parts: generatorTokens(req, config).map((t) => Buffer.from(formatToken(t, format), 'utf8')),
    contentType: GENERATOR_CONTENT_TYPES[format],
  };
}

/** The non-streaming answer: `[{"generated_text": …}]`. */
export function textGeneratorModel(req: ModelRequest, config: GeneratorConfig = {}): ModelResponse {
  return {
    body: JSON.stringify([{ generated_text: generatorTokens(req, config).join('') }]),
    contentType: 'application/json',
  };
}
