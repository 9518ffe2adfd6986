import { EventEmitter } from "node:events"
import type { Shutdown } from "../src/Domain/Shutdown.js"

/** A `Shutdown` that drains when the test says so: `drain()`. */
export const manualShutdown = () => {
  const events = new EventEmitter()
  const shutdown: Shutdown["Type"] = {
    onDrain: (f) => {
      events.on("draining", f)
      return () => events.off("draining", f)
    }
  }
  return { shutdown, drain: () => events.emit("draining") }
}
