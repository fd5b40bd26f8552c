/** Option objects of the typed client, named as @upstash/redis names them. */

export type Key = string | Uint8Array;
export type Value = string | Uint8Array | number | bigint;

export type SetOptions = {
  get?: boolean;
  keepTtl?: boolean;
} & ({ nx?: boolean; xx?: never } | { xx?: boolean; nx?: never }) &
  ({ ex?: number; px?: never; exat?: never; pxat?: never } | { px?: number; ex?: never; exat?: never; pxat?: never } |
   { exat?: number; ex?: never; px?: never; pxat?: never } | { pxat?: number; ex?: never; px?: never; exat?: never });

export type GetExOptions = { ex?: number; px?: number; exat?: number; pxat?: number; persist?: boolean };

export type ExpireOption = 'NX' | 'XX' | 'GT' | 'LT' | 'nx' | 'xx' | 'gt' | 'lt';

export type ScanOptions = { match?: string; count?: number; type?: string };

export type ScoreMember = { score: number; member: Value };

export type ZAddOptions = {
  nx?: boolean;
  xx?: boolean;
  gt?: boolean;
  lt?: boolean;
  ch?: boolean;
  incr?: boolean;
};

export type ZRangeOptions = {
  byScore?: boolean;
  byLex?: boolean;
  rev?: boolean;
  offset?: number;
  count?: number;
  withScores?: boolean;
};

export type ZStoreOptions = {
  weights?: number[];
  aggregate?: 'sum' | 'min' | 'max';
  withScores?: boolean;
};

export type LPosOptions = { rank?: number; count?: number; maxLen?: number };

export type BitCountUnit = 'BYTE' | 'BIT';

export type Direction = 'LEFT' | 'RIGHT' | 'left' | 'right';

/** A score bound: a number, or Redis's text form ('(1.5', '-inf', '+inf'). */
export type ScoreBound = number | string;
