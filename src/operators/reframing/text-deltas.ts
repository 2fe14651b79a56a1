import { LineSplitter, reframeChunks, type ReframingOperator } from './reframe.js';
import { StreamParseError } from './reframe-error.js';
import { SseParser, type SseMessage } from './server-sent-events-parser.js';

/** A piece of generated text from an LLM response stream. */
export interface InvokeTextEvent {
  type: 'text';
  attempt: number;
  /** The timestamp of the chunk that completed the record carrying the text. */
  timestamp: number;
  /** The new text (never empty). */
  text: string;
  /** 0-based index of the text event in the attempt's stream. */
  index: number;
}

/** True for a `text` event. */
export function isTextEvent(e: { type: string }): e is InvokeTextEvent {
  return e.type === 'text';
}

/**
 * Where the common LLM containers put the new text of a streamed record, tried in order; the
 * first path that holds a string wins:
 *
 * | path | container |
 * | --- | --- |
 * | `token.text` | Hugging Face TGI, DJL LMI (`{"token":{"text":"Hi","special":false},"generated_text":null}`) |
 * | `choices.0.delta.content` | OpenAI-compatible chat completions (vLLM, LMI, SGLang) |
 * | `choices.0.text` | OpenAI-compatible completions |
 * | `outputs.0` | LMI `{"outputs":["Hi"]}` |
 * | `generated_text` | Hugging Face inference toolkit, TGI without `token` |
 * | `text` | plain `{"text":"Hi"}` records |
 */
export const DEFAULT_TEXT_DELTA_PATHS: readonly string[] = [
  'token.text',
  'choices.0.delta.content',
  'choices.0.text',
  'outputs.0',
  'generated_text',
  'text',
];

/** The SSE data value that marks the end of an OpenAI-compatible stream; skipped. */
const DONE_SENTINEL = '[DONE]';

/** Options of `textDeltas()`. */
export interface TextDeltasConfig {
  /**
   * Dot path(s) of the text in each record (`'token.text'`, `'choices.0.delta.content'`;
   * numeric segments index arrays). With several, the first that holds a string wins.
   * @default DEFAULT_TEXT_DELTA_PATHS
   */
  path?: string | readonly string[];
  /**
   * How records are framed: `json-lines` (one JSON value per line), `sse` (`data: {json}` events,
   * as TGI and OpenAI-compatible servers send), or `auto`: SSE unless the first non-blank line
   * starts with `{` or `[`.
   * @default 'auto'
   */
  format?: 'auto' | 'json-lines' | 'sse';
  /**
   * Skip a text whose object has `special: true` (TGI's end-of-sequence token `</s>`).
   * @default true
   */
  skipSpecialTokens?: boolean;
}

const FORMATS = new Set(['auto', 'json-lines', 'sse']);

/**
 * Turns an LLM response stream into the text it generates: replaces its `chunk` events with one
 * `text` event per token (or delta), for TGI/LMI-style SSE (`data: {"token":{"text":…}}`),
 * OpenAI-compatible SSE (`choices.0.delta.content`, `[DONE]` skipped) and plain JSON Lines with a
 * configurable path. Chunk boundaries may fall anywhere (see `lines()`). Records without text at
 * the path (a role delta, TGI's final details) give nothing. A record that is not JSON gives an
 * `error` event with a `StreamParseError` naming the line, and ends the invocation. An SSE event
 * left open when the stream ends is still read (unlike `serverSentEvents()`, so no final token is
 * lost). Every other event passes through unchanged.
 *
 * @example
 * ```ts
 * import { textDeltas } from 'sagemaker-rx';
 * client.invokeEndpointWithResponseStream$({ EndpointName: 'llm', Body: JSON.stringify({ inputs: 'Hi', stream: true }) })
 *   .pipe(textDeltas())
 *   .subscribe((e) => e.type === 'text' && process.stdout.write(e.text));
 * // Hello, world!
 * ```
 */
export function textDeltas(config: TextDeltasConfig = {}): ReframingOperator<InvokeTextEvent> {
  const { path = DEFAULT_TEXT_DELTA_PATHS, format = 'auto', skipSpecialTokens = true } = config;
  const paths = (typeof path === 'string' ? [path] : [...path]).map(parsePath);
  if (paths.length === 0) throw new TypeError('textDeltas: path must name at least one path');
  if (!FORMATS.has(format)) throw new TypeError(`textDeltas: format must be 'auto', 'json-lines' or 'sse', got ${String(format)}`);
  if (typeof skipSpecialTokens !== 'boolean') throw new TypeError(`textDeltas: skipSpecialTokens must be a boolean, got ${String(skipSpecialTokens)}`);

  return reframeChunks<InvokeTextEvent>(() => {
    const splitter = new LineSplitter(format === 'json-lines' ? 'lf' : 'any');
    const sse = new SseParser();
    let mode: 'json-lines' | 'sse' | undefined = format === 'auto' ? undefined : format;
    let lineNumber = 0;
    let index = 0;

    const record = (json: string, line: number, recordFormat: 'json-lines' | 'sse', attempt: number, timestamp: number, out: InvokeTextEvent[]) => {
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch (cause) {
        throw new StreamParseError({ line, format: recordFormat, text: json, cause });
      }
      const text = extractText(value, paths, skipSpecialTokens);
      if (text !== undefined && text !== '') out.push({ type: 'text', attempt, timestamp, text, index: index++ });
    };
    const sseMessage = (m: SseMessage | undefined, attempt: number, timestamp: number, out: InvokeTextEvent[]) => {
      if (m === undefined || m.data.trim() === '' || m.data.trim() === DONE_SENTINEL) return;
      record(m.data, m.line, 'sse', attempt, timestamp, out);
    };
    const line = (text: string, attempt: number, timestamp: number, out: InvokeTextEvent[]) => {
      lineNumber++;
      if (mode === undefined) {
        const start = text.trimStart();
        if (start === '') return;
        mode = start.startsWith('{') || start.startsWith('[') ? 'json-lines' : 'sse';
      }
      if (mode === 'sse') sseMessage(sse.line(text), attempt, timestamp, out);
      else if (text.trim() !== '') record(text, lineNumber, 'json-lines', attempt, timestamp, out);
    };
    return {
      chunk: (e, out) => {
        for (const text of splitter.push(e.bytes)) line(text, e.attempt, e.timestamp, out);
      },
      end: (e, out) => {
        for (const text of splitter.end()) line(text, e.attempt, e.timestamp, out);
        if (mode === 'sse') sseMessage(sse.end(true), e.attempt, e.timestamp, out);
      },
    };
  });
}

type PathSegment = string | number;

function parsePath(path: string): PathSegment[] {
  if (typeof path !== 'string' || path === '' || path.split('.').some((s) => s === '')) {
    throw new TypeError(`textDeltas: a path is dot-separated non-empty segments, like 'token.text', got ${JSON.stringify(path)}`);
  }
  return path.split('.').map((s) => (/^[0-9]+$/.test(s) ? Number(s) : s));
}

/** The first string found at one of `paths`; `''` when it belongs to a special token that is skipped. */
function extractText(value: unknown, paths: PathSegment[][], skipSpecialTokens: boolean): string | undefined {
  if (typeof value === 'string') return value;
  for (const path of paths) {
    let parent: unknown;
    let node: unknown = value;
    for (const segment of path) {
      parent = node;
      node = node !== null && typeof node === 'object' ? (node as Record<PathSegment, unknown>)[segment] : undefined;
      if (node === undefined) break;
    }
    if (typeof node !== 'string') continue;
    const special = skipSpecialTokens && parent !== null && typeof parent === 'object' && (parent as { special?: unknown }).special === true;
    return special ? '' : node;
  }
  return undefined;
}
