import * as fc from 'fast-check';

/** Characters that break naive quoting in one dialect or another, plus multi-byte UTF-8. */
const AWKWARD_UNITS = [...' \t!"#$%&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~', 'é', '€', '😀'];

/** Single-line strings made of awkward characters (no line breaks, no NUL). */
export function awkwardStrings(options: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...AWKWARD_UNITS), minLength: options.minLength ?? 0, maxLength: options.maxLength ?? 30 });
}

/** A fixed sample of them, so a contract test can hand all of them to the real program at once. */
export function awkwardSample(count: number, seed: number, options: { minLength?: number; maxLength?: number } = {}): string[] {
  return fc.sample(awkwardStrings(options), { numRuns: count, seed });
}
