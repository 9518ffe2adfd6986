import { HttpServer } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { existsSync } from "node:fs"
import { chromium, type Page } from "playwright-core"
import { ServiceTest } from "../../test/ServiceTest.js"

const executablePath = "/usr/bin/chromium"
const available = existsSync(executablePath)
if (!available) {
  console.log("docs page suite left out: Debian's chromium is not installed (apt-get install chromium; make -C svc test installs it when run as root)")
}

/** Headless Chromium on the docs page; closed with the scope. */
const docsPage = Effect.gen(function*() {
  const port = ((yield* HttpServer.HttpServer).address as HttpServer.TcpAddress).port
  const browser = yield* Effect.acquireRelease(
    Effect.promise(() =>
      chromium.launch({
        executablePath,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
      })
    ),
    (browser) => Effect.promise(() => browser.close())
  )
  const page = yield* Effect.promise(() => browser.newPage())
  yield* Effect.promise(() => page.goto(`http://127.0.0.1:${port}/docs`))
  return page
})

/** An operation's panel, opened, in "Try it out" mode. */
const tryOut = (page: Page, tag: string, name: string) =>
  Effect.promise(async () => {
    // Swagger UI escapes the dot of an operation id in the element's id: match on its ends.
    const operation = page.locator(`[id^="operations-${tag}-"][id$="${name}"]`)
    await operation.locator(".opblock-summary").click()
    await operation.locator(".try-out__btn").click()
    return operation
  })

describe.skipIf(!available)("the docs page, in headless Chromium", () => {
  it.layer(ServiceTest())((it) => {
    it.scoped("POST /applications with its default example answers 201; If-Match and If-None-Match can be tried", () =>
      Effect.gen(function*() {
        const page = yield* docsPage
        const create = yield* tryOut(page, "Applications", "create")
        const body = yield* Effect.promise(() => create.locator("textarea.body-param__text").inputValue())
        expect(JSON.parse(body)).toMatchObject({ name: expect.any(String) })
        const status = create.locator(".live-responses-table tbody .response-col_status").first()
        yield* Effect.promise(async () => {
          await create.locator(".execute").click()
          await status.waitFor({ timeout: 20_000 })
        })
        expect((yield* Effect.promise(() => status.textContent()))?.trim()).toBe("201")

        for (const [tag, name, header] of [
          ["Applications", "update", "If-Match"],
          ["Applications", "delete", "If-Match"],
          ["Configurations", "get", "If-None-Match"],
          ["Configurations", "update", "If-Match"]
        ] as const) {
          const operation = yield* tryOut(page, tag, name)
          const input = operation.locator(`tr[data-param-name="${header}"] input`)
          expect(yield* Effect.promise(() => input.count()), `${tag} ${name} ${header}`).toBe(1)
          yield* Effect.promise(() => input.fill(`"1"`))
        }
      }), { timeout: 60_000 })
  })
})
