/**
 * A map of at most `maxEntries` entries weighing at most `maxWeight` together; the least recently
 * used go first, each told to `evicted` (when given) as it goes.
 */
export class Lru<K, V> {
  private readonly entries = new Map<K, { readonly value: V; readonly weight: number }>()
  private weight = 0

  constructor(
    private readonly maxEntries: number,
    private readonly maxWeight: number,
    private readonly evicted?: (key: K) => void
  ) {}

  get(key: K): V | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    this.entries.delete(key)
    this.entries.set(key, entry)
    return entry.value
  }

  set(key: K, value: V, weight: number) {
    this.delete(key)
    this.entries.set(key, { value, weight })
    this.weight += weight
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.weight <= this.maxWeight) break
      if (oldest === key) continue
      this.delete(oldest)
      this.evicted?.(oldest)
    }
  }

  delete(key: K) {
    const entry = this.entries.get(key)
    if (entry === undefined) return
    this.entries.delete(key)
    this.weight -= entry.weight
  }

  clear() {
    this.entries.clear()
    this.weight = 0
  }

  get size() {
    return this.entries.size
  }
}
