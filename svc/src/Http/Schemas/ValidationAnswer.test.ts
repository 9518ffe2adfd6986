import { describe, expect, it } from "@effect/vitest"
import { validationAnswer } from "./ValidationAnswer.js"

describe("validationAnswer", () => {
  it("is 200 with the result as JSON", () => {
    const result = { valid: false, errors: [{ path: "/retries", keyword: "minimum", message: "must be at least 0" }] }
    const answer = validationAnswer(result)
    expect(answer.status).toBe(200)
    expect(answer.headers["content-type"]).toBe("application/json")
    expect(JSON.parse(new TextDecoder().decode(answer.body))).toEqual(result)
  })
})
