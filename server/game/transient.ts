/**
 * Objects a reducer made during one window and nobody else has seen yet (like Clojure's transients):
 * within the window it may add to them in place instead of copying them again. Copying a record is
 * O(entries), so without this a 10,000-phone room copies 50 million entries per question (and as
 * many while it fills). The state is immutable for everyone else: the owner (a room) opens a new
 * window before any state of the current one leaves its hands, and without a window every change copies.
 */
export class Transient {
  private readonly made = new WeakSet<object>();

  /** `record` with `key` set: in place if this window made it, else a copy this window owns. */
  set<V>(record: Readonly<Record<string, V>>, key: string, value: V): Record<string, V> {
    if (this.made.has(record)) {
      (record as Record<string, V>)[key] = value;
      return record as Record<string, V>;
    }
    return this.adopt(copyWith(record, key, value));
  }

  /** `list` with `value` appended, the same way. */
  push<V>(list: readonly V[], value: V): V[] {
    if (this.made.has(list)) {
      (list as V[]).push(value);
      return list as V[];
    }
    return this.adopt([...list, value]);
  }

  private adopt<T extends object>(o: T): T {
    this.made.add(o);
    return o;
  }
}

/** Sets one entry of a record, through the window when there is one. */
export function withEntry<V>(record: Readonly<Record<string, V>>, key: string, value: V, transient: Transient | undefined): Record<string, V> {
  return transient ? transient.set(record, key, value) : copyWith(record, key, value);
}

/**
 * A copy of an id-keyed record with `key` set, as a null-prototype dictionary. A spread
 * (`{ ...record, [key]: value }`) gives every room's set of player ids hidden classes of its own,
 * about 2 µs a copy (`answers` is copied on every answer); this loop is about 4× cheaper.
 */
function copyWith<V>(record: Readonly<Record<string, V>>, key: string, value: V): Record<string, V> {
  const copy = Object.create(null) as Record<string, V>;
  for (const k in record) copy[k] = record[k] as V;
  copy[key] = value;
  return copy;
}

/** Appends to a list, through the window when there is one. */
export function withItem<V>(list: readonly V[], value: V, transient: Transient | undefined): V[] {
  return transient ? transient.push(list, value) : [...list, value];
}
