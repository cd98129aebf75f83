const emptySet: ReadonlySet<never> = new Set();

/** A map from a key to a set of values, holding no empty sets. */
export class IndexOfSets<K, V> {
  private readonly sets = new Map<K, Set<V>>();

  of(key: K): ReadonlySet<V> {
    return this.sets.get(key) ?? emptySet;
  }

  add(key: K, value: V): void {
    const set = this.sets.get(key);
    if (set) set.add(value);
    else this.sets.set(key, new Set([value]));
  }

  delete(key: K, value: V): void {
    const set = this.sets.get(key);
    if (!set?.delete(value) || set.size > 0) return;
    this.sets.delete(key);
  }
}
