/**
 * The library's size limits and its two named error classes.
 *
 * Every allocation whose size comes from the caller (a matrix's entries, a network's parameters, a
 * data set's samples, the buffers of one batch) is checked against a limit *before* anything is
 * allocated, so that a typo such as `layers: [2, 1e9, 1]` fails at once with a `SizeLimitError` that
 * gives the size asked for and the limit, instead of running on with memory climbing. The limits are
 * far above what a course exercise needs and below what a browser tab or a notebook kernel survives.
 */

/**
 * The limits, all counts of float64 values or samples:
 * - `matrixEntries`: one Matrix holds at most 100,000,000 entries (rows · cols; 800 MB);
 * - `parameters`: one MLP has at most 10,000,000 parameters, Σ_l (n_{l−1} + 1)·n_l;
 * - `samples`: a generated data set (`makeCircles`, `makeSpiral`, …) has at most 10,000,000 samples;
 * - `batchEntries`: the z, a, dz, da buffers that `forward`/`fit` keep for one batch of n samples,
 *   n·(4·Σ_{l≥1} n_l + 2·n_0 + n_L) values, are at most 250,000,000 (2 GB): train a larger set in
 *   mini-batches (`fit`'s `batchSize`).
 */
export const LIMITS = Object.freeze({
  matrixEntries: 100_000_000,
  parameters: 10_000_000,
  samples: 10_000_000,
  batchEntries: 250_000_000,
});

/** Which limit a `SizeLimitError` is about. */
export type LimitName = keyof typeof LIMITS;

function grouped(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Thrown when a request exceeds one of `LIMITS`, before anything is allocated. `requested` is the
 * size asked for, `limit` the limit it exceeds, `limitName` which of `LIMITS` it is.
 */
export class SizeLimitError extends Error {
  override readonly name = 'SizeLimitError';
  /** The size asked for (entries, parameters or samples). */
  readonly requested: number;
  /** The limit, `LIMITS[limitName]`. */
  readonly limit: number;
  /** Which limit. */
  readonly limitName: LimitName;

  /** `where`: the function; `what`: the quantity asked for, e.g. "a 100000x100000 matrix (10,000,000,000 entries)". */
  constructor(where: string, what: string, requested: number, limitName: LimitName) {
    const limit = LIMITS[limitName];
    super(`${where}: ${what} exceeds the limit of ${grouped(limit)} ${limitName === 'parameters' ? 'parameters'
      : limitName === 'samples' ? 'samples' : 'entries'} (LIMITS.${limitName}); received ${grouped(requested)}`);
    this.requested = requested;
    this.limit = limit;
    this.limitName = limitName;
  }
}

/** Throws a `SizeLimitError` when `requested` exceeds `LIMITS[limitName]` (or is not a finite number). */
export function checkLimit(where: string, what: string, requested: number, limitName: LimitName): void {
  if (!(requested <= LIMITS[limitName])) throw new SizeLimitError(where, what, requested, limitName);
}

/** Where a `NonFiniteError` found its first non-finite entry. */
export interface NonFiniteLocation {
  /** The quantity, e.g. "z[2]", "a[1]", "ŷ". */
  quantity: string;
  /** The layer l it belongs to (0 when none). */
  layer: number;
  /** Row (sample) and column (unit) of the first NaN or ±Infinity. */
  row: number;
  column: number;
  /** The value found there: NaN, Infinity or −Infinity. */
  value: number;
}

/**
 * Thrown when a computation that should give finite numbers does not: an overflow of z[l] inside
 * the network during `forward`/`predict`/`fit`, or a NaN from a random source. `location` says where.
 */
export class NonFiniteError extends Error {
  override readonly name = 'NonFiniteError';
  /** Where the first non-finite value is (absent when it has no matrix position, e.g. a random draw). */
  readonly location?: NonFiniteLocation;

  constructor(message: string, location?: NonFiniteLocation) {
    super(message);
    this.location = location;
  }
}
