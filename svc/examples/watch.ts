/** Calls `onEvent` for each event of a watch stream; after any disconnect it resumes from the last id it saw. */
export async function watch(url: string, onEvent: (event: string, data: string) => void, signal?: AbortSignal) {
  let lastId = ""
  while (!signal?.aborted) {
    try {
      const response = await fetch(url, { headers: lastId ? { "last-event-id": lastId } : {}, signal: signal ?? null })
      let buffer = ""
      for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
        const frames = (buffer += chunk).split("\n\n")
        buffer = frames.pop()!
        for (const frame of frames) {
          const field = (name: string) => frame.match(new RegExp(`^${name}: (.*)$`, "m"))?.[1]
          lastId = field("id") ?? lastId
          if (field("event")) onEvent(field("event")!, field("data")!)
        }
      }
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}
