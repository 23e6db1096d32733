import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck, Schema } from "effect"
import { ClientFrame } from "../../src/domain/frames.js"
import { decodeEnvelope, readEnvelope } from "../../src/layers/bridge/decodeFrame.js"

const viaEnvelope = (text: string) => Either.flatMap(readEnvelope(text), decodeEnvelope)

describe("decodeEnvelope", () => {
  it("gives every valid frame as the union's own decode does, whichever way it is read", () => {
    const decode = Schema.decodeUnknownSync(ClientFrame)
    for (const member of ClientFrame.members) {
      const encode = Schema.encodeSync(member as Schema.Schema<unknown, unknown>)
      for (const frame of FastCheck.sample(Arbitrary.make(member as Schema.Schema<unknown, unknown>), 100)) {
        const text = JSON.stringify(encode(frame))
        const read = viaEnvelope(text)
        expect(Either.isRight(read)).toBe(true)
        const expected = decode(JSON.parse(text))
        expect(Either.getOrThrow(read)).toEqual(expected)
        expect(Object.keys(Either.getOrThrow(read))).toEqual(Object.keys(expected))
      }
    }
  })

  it("still names the bad field of a frame the compiled reader refuses", () => {
    const bad = viaEnvelope(JSON.stringify({ type: "action_result", request_id: "req_1", accepted: "yes" }))
    expect(Either.isLeft(bad) && bad.left.field).toBe("accepted")
  })
})
