// The schema scenarios: PUT of a 20-key configuration in applications that have a 20-key JSON
// Schema against the same in applications without one (validation must cost writes ≤ 10%), and
// POST /applications/{id}/validate of a 20-key config (goal ≥ 5,000 req/s).
import { configBody } from "./seed.mjs"

/** A schema every `configBody(n)` conforms to: 20 required keys of their types, nothing else. */
export const schema20 = {
  type: "object",
  properties: Object.fromEntries(
    Array.from({ length: 20 }, (_, k) => [
      `key_${k}`,
      k % 3 === 0
        ? { type: "string", maxLength: 100 }
        : k % 3 === 1
        ? { type: "number", minimum: 0 }
        : { type: "object", properties: { nested: { type: "boolean" }, n: { type: "integer" } }, required: ["nested"] }
    ])
  ),
  required: Array.from({ length: 20 }, (_, k) => `key_${k}`),
  additionalProperties: false
}

const pick = (items) => items[Math.floor(Math.random() * items.length)]

/** Attaches `schema20` to every other seeded application; the scenarios write to both halves. */
export async function schemaScenarios(base, { appIds, configs }) {
  const withSchema = new Set(appIds.filter((_, i) => i % 2 === 0))
  for (const id of withSchema) {
    const res = await fetch(`${base}/api/v1/applications/${id}/schema`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(schema20)
    })
    if (res.status !== 201) throw new Error(`PUT schema: ${res.status} ${await res.text()}`)
  }
  const checked = configs.filter((c) => withSchema.has(c.appId))
  const unchecked = configs.filter((c) => !withSchema.has(c.appId))
  const put = ({ id, name }, n) => ({
    method: "PUT",
    path: `/api/v1/configurations/${id}`,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, comments: `bench update ${n}`, config: configBody(n) })
  })
  const validateBody = JSON.stringify({ config: configBody(7) })
  return [
    { name: "put-no-schema", what: "PUT /configurations/{id}, 20 keys, application without a schema", next: (n) => put(pick(unchecked), n) },
    { name: "put-schema", what: "PUT /configurations/{id}, 20 keys, application with a 20-key schema", next: (n) => put(pick(checked), n) },
    {
      name: "validate",
      what: "POST /applications/{id}/validate, 20-key config against a 20-key schema",
      next: () => ({
        method: "POST",
        path: `/api/v1/applications/${pick([...withSchema])}/validate`,
        headers: { "content-type": "application/json" },
        body: validateBody
      })
    }
  ]
}
