/** The keys of T whose value may be null or undefined. */
type NullableKeys<T> = { [K in keyof T]-?: null extends T[K] ? K : undefined extends T[K] ? K : never }[keyof T];

/** T with its nullable fields optional and never null; the others as they were. */
export type Compacted<T> = { [K in Exclude<keyof T, NullableKeys<T>>]: T[K] } & { [K in NullableKeys<T>]?: Exclude<T[K], null | undefined> };

/** Drops null and undefined fields, so optional domain fields are absent rather than null. */
export function compact<T extends object>(value: T): Compacted<T> {
  // Only null and undefined values are left out: every key the type keeps required is still there.
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as Compacted<T>;
}
