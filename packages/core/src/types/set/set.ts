/** Placeholder: the set type's representation. */
export class SetValue {
  readonly type = 'set' as const;
}
