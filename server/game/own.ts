/**
 * Reads a state record by a key that may come from a client: own keys only, so `__proto__`,
 * `constructor` or `toString` find nothing instead of Object.prototype's members.
 */
export function own<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
