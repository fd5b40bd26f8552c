/** Placeholder: the hash type's representation. */
export class HashValue {
  readonly type = 'hash' as const;
}
