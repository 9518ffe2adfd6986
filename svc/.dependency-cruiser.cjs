// The floors of the service, bottom first: a module may import its own floor and the floors
// below it, never one above. README "How the code is laid out" draws them.
const floors = [
  ["Domain", "^src/Domain/"],
  ["JsonSchema", "^src/JsonSchema/"],
  ["Postgres", "^src/(Postgres|Migrations)/"],
  ["ChangeFeed", "^src/ChangeFeed/"],
  ["features", "^src/(Applications|Configurations|History|Schemas|Watch)/"],
  ["Settings", "^src/Settings[.]ts$"],
  ["Http", "^src/Http/"],
  ["programs", "^src/(Programs/|main[.]ts$|migrate[.]ts$|index[.]ts$)"],
  ["Testing", "^src/(Testing/|testing[.]ts$)"]
]

const tests = "([.]test[.]ts$|^test/)"

const climbs = floors.slice(0, -1).map(([name, path], i) => ({
  name: `${name}-imports-down`,
  comment: `${name} may import only itself and the floors below it`,
  severity: "error",
  from: { path, pathNot: tests },
  to: { path: floors.slice(i + 1).map(([, above]) => `(${above})`).join("|") }
}))

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "no module reaches itself through its imports",
      severity: "error",
      from: { path: "^src/", pathNot: tests },
      to: { circular: true }
    },
    ...climbs,
    {
      name: "production-is-not-test",
      comment: "production modules never import tests, test helpers or the test databases",
      severity: "error",
      from: { path: "^src/", pathNot: `${tests}|^src/(Testing/|testing[.]ts$)` },
      to: { path: `${tests}|^src/(Testing/|testing[.]ts$)` }
    },
    {
      name: "every-module-on-a-floor",
      comment: "each source module lives on one of the floors above",
      severity: "error",
      from: { path: "^src/", pathNot: `${tests}|${floors.map(([, path]) => `(${path})`).join("|")}` },
      to: {}
    },
    {
      name: "resolvable",
      comment: "every import resolves",
      severity: "error",
      from: {},
      to: { couldNotResolve: true }
    }
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules|^dist/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
    reporterOptions: { text: { highlightFocused: true } }
  }
}
