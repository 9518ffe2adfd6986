import type http from "node:http"
import { Readable } from "node:stream"
import { arrivedAt } from "../Edge/RequestLog.js"

/** The request again, with the body already read, for the API: what its server request reads of one. */
export const replayOf = (request: http.IncomingMessage, body: Buffer, started: number): http.IncomingMessage => {
  const replay = new Readable({
    read() {
      this.push(body)
      this.push(null)
    }
  })
  for (const field of ["headers", "rawHeaders", "url", "method", "httpVersion", "socket", "complete"] as const) {
    Object.defineProperty(replay, field, { value: request[field], enumerable: true })
  }
  Object.defineProperty(replay, arrivedAt, { value: started })
  return replay as unknown as http.IncomingMessage
}
