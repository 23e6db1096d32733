import WebSocket from "ws"
import { acceptance } from "./acceptance.js"

/**
 * The other end of the WebSocket floor (`bench/floor.ts`), in a process of its own as the
 * extension would be: `count` plain `ws` clients on `url` that answer every delivery at once,
 * as the bench's stand-in extension does.
 */
const [url, count] = process.argv.slice(2)
for (let i = 0; i < Number(count); i++) {
  const socket = new WebSocket(url!)
  socket.on("message", (data: Buffer) => {
    const frame = JSON.parse(data.toString("utf8")) as { type: string; request_id: string }
    if (frame.type !== "browser.proxy_delivery") return
    socket.send(JSON.stringify(acceptance(frame.request_id)))
  })
}
