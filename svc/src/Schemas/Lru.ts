/** A map of at most `maxEntries` entries weighing at most `maxWeight` together; the least recently used go first. */
export class Lru<K, V> {
  private readonly entries = new Map<K, { readonly value: V; readonly weight: number }>()
  private weight = 0

  constructor(private readonly maxEntries: number, private readonly maxWeight: number) {}

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
      if (oldest !== key) this.delete(oldest)
    }
  }

  get size() {
    return this.entries.size
  }

  private delete(key: K) {
    const entry = this.entries.get(key)
    if (entry === undefined) return
    this.entries.delete(key)
    this.weight -= entry.weight
  }
}
