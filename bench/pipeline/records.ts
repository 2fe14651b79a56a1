/** The small records of the pipeline benchmarks, from a generator (never an array). */

export interface BenchRecord {
  id: number;
  text: string;
}

const TEXTS = [
  'Arrived on time and works as described.',
  'The strap broke after two days, disappointed.',
  'Decent value for the price, would buy again.',
  'Battery life is shorter than advertised.',
] as const;

export function* records(count: number): Generator<BenchRecord> {
  for (let id = 0; id < count; id += 1) yield { id, text: TEXTS[id % TEXTS.length]! };
}
