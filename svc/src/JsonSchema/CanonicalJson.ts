/**
 * A JSON value as text with object keys sorted, so values equal as JSON Schema defines equality (key
 * order aside, 1 and 1.0 alike) give equal text. `visit` sees every value on the way, to meter the work.
 */
export const canonicalJson = (value: unknown, visit?: (value: unknown) => void): string => {
  visit?.(value)
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item, visit)).join(",")}]`
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>
    const members = Object.keys(record).sort().map((key) =>
      `${JSON.stringify(key)}:${canonicalJson(record[key], visit)}`
    )
    return `{${members.join(",")}}`
  }
  return JSON.stringify(value) ?? "null"
}
