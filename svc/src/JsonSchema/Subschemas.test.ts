import { describe, expect, it } from "@effect/vitest"
import { forEachSubschema, leadsToSubschema, mapSubschemas, namesSubschemas } from "./Subschemas.js"

const schema = {
  type: "object",
  properties: { "a/b": { type: "string" }, "c~": true },
  items: [{ type: "number" }, false],
  not: { enum: [{ type: "not a schema" }] },
  dependencies: { x: ["y"], z: { required: ["x"] } },
  default: { properties: { hidden: {} } },
  const: { not: {} }
}

describe("Schemas/Subschemas", () => {
  it("finds each subschema directly inside a schema, with the pointer to it", () => {
    const found: Array<[unknown, string]> = []
    forEachSubschema(schema, (child, pointer) => found.push([child, pointer]))
    expect(found).toEqual([
      [{ type: "string" }, "/properties/a~1b"],
      [true, "/properties/c~0"],
      [{ type: "number" }, "/items/0"],
      [false, "/items/1"],
      [{ enum: [{ type: "not a schema" }] }, "/not"],
      [["y"], "/dependencies/x"],
      [{ required: ["x"] }, "/dependencies/z"]
    ])
  })

  it("maps the subschemas of a copy, leaving values such as default and const alone", () => {
    const mark = (child: unknown) => typeof child === "object" && child !== null ? { ...child, seen: 1 } : child
    const mapped = mapSubschemas(schema, mark)
    expect(mapped.properties).toEqual({ "a/b": { type: "string", seen: 1 }, "c~": true })
    expect(mapped.items).toEqual([{ type: "number", seen: 1 }, false])
    expect(mapped.default).toBe(schema.default)
    expect(mapped.const).toBe(schema.const)
    expect(schema.properties["a/b"]).toEqual({ type: "string" })
  })

  it("keeps a key named __proto__ as a key", () => {
    const withProto = JSON.parse("{\"properties\":{\"__proto__\":{\"type\":\"string\"}},\"__proto__\":{\"x\":1}}")
    const mapped = mapSubschemas(withProto, (child) => child)
    expect(Object.keys(mapped)).toEqual(["properties", "__proto__"])
    expect(Object.keys(mapped.properties as object)).toEqual(["__proto__"])
    expect(Object.getPrototypeOf(mapped)).toBe(Object.prototype)
  })

  it("tells pointers that lead only through schemas from those into other values", () => {
    expect(leadsToSubschema([])).toBe(true)
    expect(leadsToSubschema(["$defs", "a", "properties", "b", "items"])).toBe(true)
    expect(leadsToSubschema(["items", "0", "anyOf", "1", "not"])).toBe(true)
    expect(leadsToSubschema(["definitions", "enum"])).toBe(true)
    expect(leadsToSubschema(["default"])).toBe(false)
    expect(leadsToSubschema(["enum", "0"])).toBe(false)
    expect(leadsToSubschema(["properties"])).toBe(false)
    expect(leadsToSubschema(["anyOf", "first"])).toBe(false)
    expect(leadsToSubschema(["$defs", "a", "const"])).toBe(false)
  })

  it("knows which keywords name subschemas", () => {
    expect(["properties", "$defs", "dependentSchemas"].every(namesSubschemas)).toBe(true)
    expect(["items", "enum", "not"].some(namesSubschemas)).toBe(false)
  })
})
