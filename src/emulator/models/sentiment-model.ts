/**
 * The `sentiment` model: a small word-list scorer. Each positive word counts +1 and each
 * negative word −1 (doubled after an intensifier, flipped after a negation within three
 * words). The sum picks the label; the score is the label's confidence in 0..1.
 *
 * Input by content type: `application/json` — `{"text": …}`, `{"inputs": …}`, a string, or an
 * array of those (or `{"inputs": [...]}`) → one result or an array in order;
 * `application/jsonlines` — one such JSON value per line → JSON Lines out;
 * `text/csv` — one text per line → `label,score` lines; anything else — the body is the text.
 * Unreadable input is the container's 400, which the service answers as a 424 `ModelError`.
 */
import type { ModelRequest, ModelResponse } from '../types.js';

/** One sentiment result. */
export interface SentimentResult {
  label: 'POSITIVE' | 'NEGATIVE' | 'NEUTRAL';
  /** Confidence in the label, 0..1, four decimals. */
  score: number;
}

/** Words that count +1. */
export const POSITIVE_WORDS: ReadonlySet<string> = new Set([
  'good', 'great', 'excellent', 'amazing', 'awesome', 'fantastic', 'wonderful', 'love', 'loved', 'loves', 'like',
  'liked', 'best', 'perfect', 'happy', 'glad', 'nice', 'superb', 'brilliant', 'outstanding', 'recommend',
  'recommended', 'pleasant', 'delightful', 'enjoy', 'enjoyed', 'beautiful', 'fast', 'reliable', 'sturdy',
  'comfortable', 'easy', 'worth', 'impressive', 'satisfied', 'favorite', 'favourite', 'works', 'quality', 'fine',
  'helpful', 'friendly', 'solid', 'smooth', 'fun', 'cool', 'positive', 'thanks', 'thank',
]);

/** Words that count −1. */
export const NEGATIVE_WORDS: ReadonlySet<string> = new Set([
  'bad', 'terrible', 'awful', 'horrible', 'poor', 'worst', 'hate', 'hated', 'hates', 'dislike', 'broken', 'broke',
  'useless', 'disappointing', 'disappointed', 'disappointment', 'slow', 'cheap', 'flimsy', 'refund', 'return',
  'returned', 'waste', 'wasted', 'defective', 'annoying', 'angry', 'sad', 'ugly', 'fail', 'failed', 'fails',
  'failure', 'problem', 'problems', 'issue', 'issues', 'bug', 'bugs', 'crash', 'crashes', 'stopped', 'wrong',
  'missing', 'damaged', 'unhappy', 'negative', 'never', 'mediocre', 'overpriced', 'noisy', 'leaks', 'leaking',
]);

/** Words that flip the sign of the next sentiment words (within three words). */
export const NEGATIONS: ReadonlySet<string> = new Set(['not', 'no', "don't", "didn't", "doesn't", "isn't", "wasn't", "won't", 'hardly', 'nothing', "can't", 'cannot', 'without']);

/** Words that double the next sentiment word. */
export const INTENSIFIERS: ReadonlySet<string> = new Set(['very', 'really', 'extremely', 'so', 'super', 'absolutely', 'totally', 'incredibly']);

const NEGATION_REACH = 3;

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/** Scores one text. */
export function scoreSentiment(text: string): SentimentResult {
  const words = text.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
  let sum = 0;
  let hits = 0;
  let negateFor = 0;
  let weight = 1;
  for (const word of words) {
    if (NEGATIONS.has(word)) {
      negateFor = NEGATION_REACH;
      continue;
    }
    if (INTENSIFIERS.has(word)) {
      weight = 2;
      continue;
    }
    const polarity = POSITIVE_WORDS.has(word) ? 1 : NEGATIVE_WORDS.has(word) ? -1 : 0;
    if (polarity !== 0) {
      sum += polarity * weight * (negateFor > 0 ? -1 : 1);
      hits += 1;
    }
    weight = 1;
    if (negateFor > 0) negateFor -= 1;
  }
  if (sum === 0) return { label: 'NEUTRAL', score: round4(1 / (1 + hits)) };
  const strength = Math.abs(sum);
  return { label: sum > 0 ? 'POSITIVE' : 'NEGATIVE', score: round4(0.5 + (0.5 * strength) / (strength + 1)) };
}

/** The container rejected the input (answered as a 424 `ModelError` with `OriginalStatusCode` 400). */
class BadInput extends Error {}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const text = record['text'] ?? record['inputs'];
    if (typeof text === 'string') return text;
  }
  throw new BadInput('expected a string, {"text": string} or {"inputs": string}');
}

function scoreJsonValue(value: unknown): SentimentResult | SentimentResult[] {
  if (Array.isArray(value)) return value.map((v) => scoreSentiment(textOf(v)));
  if (value !== null && typeof value === 'object' && Array.isArray((value as Record<string, unknown>)['inputs'])) {
    return ((value as Record<string, unknown>)['inputs'] as unknown[]).map((v) => scoreSentiment(textOf(v)));
  }
  return scoreSentiment(textOf(value));
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadInput(`${where} is not valid JSON`);
  }
}

/** The media type without parameters, lower-case. */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

const JSON_LINES_TYPES: ReadonlySet<string> = new Set(['application/jsonlines', 'application/x-jsonlines', 'application/jsonl', 'application/x-ndjson']);

/** Scores the request body; the output format follows the request's content type. */
export function sentimentModel(req: ModelRequest): ModelResponse {
  const type = mediaType(req.contentType);
  const text = req.body.toString('utf8');
  try {
    if (type === 'application/json') {
      return { body: JSON.stringify(scoreJsonValue(parseJson(text, 'body'))), contentType: 'application/json' };
    }
    if (JSON_LINES_TYPES.has(type)) {
      const lines = text.split('\n').filter((line) => line.trim() !== '');
      const out = lines.map((line, i) => JSON.stringify(scoreJsonValue(parseJson(line, `line ${i + 1}`))));
      return { body: out.map((l) => `${l}\n`).join(''), contentType: req.contentType ?? 'application/jsonlines' };
    }
    if (type === 'text/csv') {
      const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
      const out = lines.map((line) => {
        const r = scoreSentiment(line);
        return `${r.label},${r.score}\n`;
      });
      return { body: out.join(''), contentType: 'text/csv' };
    }
    return { body: JSON.stringify(scoreSentiment(text)), contentType: 'application/json' };
  } catch (err) {
    if (err instanceof BadInput) {
      return { status: 400, body: JSON.stringify({ error: `Invalid input: ${err.message}` }), contentType: 'application/json' };
    }
    throw err;
  }
}
