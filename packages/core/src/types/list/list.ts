/** Placeholder: the list type's representation. */
export class ListValue {
  readonly type = 'list' as const;
}
