import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { MessageId } from "../../src/domain/index.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { storeBackends } from "../support/storeBackends.js"
import { message } from "./fixtures.js"

describe.each(storeBackends)("messages on $name", ({ layer: tempStoreLayer }) => {
  it.layer(tempStoreLayer)((it) => {
    it.effect("assigns strictly increasing seq and is idempotent on id", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const a = yield* store.insertMessage(message("seq-a"))
        const b = yield* store.insertMessage(message("seq-b"))
        expect(a.duplicate).toBe(false)
        expect(b.message.seq).toBeGreaterThan(a.message.seq)

        const again = yield* store.insertMessage(message("seq-a", { raw_text: "changed", observed_at: 9 }))
        expect(again).toEqual({ message: a.message, duplicate: true })

        const c = yield* store.insertMessage(message("seq-c"))
        expect(c.message.seq).toBeGreaterThan(b.message.seq)
      }))

    it.effect("reads messages after a seq, in seq order, up to a limit", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const first = yield* store.insertMessage(message("after-1"))
        yield* store.insertMessage(message("after-2"))
        yield* store.insertMessage(message("after-3"))
        const page = yield* store.messagesAfter(first.message.seq, 2)
        expect(page.map((m) => m.id)).toEqual(["after-2", "after-3"])
        const rest = yield* store.messagesAfter(page[1]!.seq, 10)
        expect(rest.map((m) => m.id)).not.toContain("after-3")
      }))

    it.effect("refuses a message outside its schema", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const bad = yield* store.insertMessage(message("bad", { platform: "Not A Platform" })).pipe(Effect.flip)
        expect(bad._tag).toBe("InvalidStoreInput")
        expect(bad.field).toBe("platform")
        const empty = yield* store.insertMessage(message("x", { id: "" as MessageId })).pipe(Effect.flip)
        expect(empty.field).toBe("id")
      }))
  })
})
