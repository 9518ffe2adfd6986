import { describe, expect, it } from "@effect/vitest"
import * as Limits from "./Limits.js"
import { patternSize } from "./PatternSize.js"

describe("Schemas/Limits", () => {
  it("are the SPEC's where the SPEC names them", () => {
    expect(Limits.maxSchemaBytes).toBe(65_536)
    expect(Limits.maxSchemaDepth).toBe(32)
    expect(Limits.maxReportedErrors).toBe(50)
  })

  it("let the SPEC's ReDoS sample and ordinary patterns run on long texts", () => {
    expect(Limits.maxPatternWork / patternSize("^(a+)+$")).toBeGreaterThan(10_001)
    expect(Limits.maxPatternWork / patternSize("^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$")).toBeGreaterThan(1_000)
    expect(Limits.maxPatternWork / Limits.maxPatternSize).toBeGreaterThanOrEqual(100)
  })

  it("fit together: a schema's patterns fit among those kept alive, and errors collected exceed those reported", () => {
    expect(Limits.maxSchemaPatternSize + Limits.maxPatterns * Limits.livePatternOverhead)
      .toBeLessThanOrEqual(Limits.maxLivePatternSize)
    expect(Limits.maxCollectedErrors).toBeGreaterThan(Limits.maxReportedErrors)
    expect(Limits.maxCachedSchemaBytes).toBeGreaterThanOrEqual(Limits.maxSchemaBytes * 16)
  })
})
