/** Placeholder: the sorted set type's representation. */
export class ZSetValue {
  readonly type = 'zset' as const;
}
