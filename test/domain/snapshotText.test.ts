import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, FastCheck, Schema } from "effect"
import { ConversationLink, TargetSnapshot, targetSnapshotOf } from "../../src/domain/index.js"

// The claim writes a job's refreshed target as `JSON.stringify(targetSnapshotOf(link))`.
describe("targetSnapshotOf", () => {
  it("stringifies to the text the schema's encode gives, for any decoded link", () => {
    const encode = Schema.encodeSync(Schema.parseJson(TargetSnapshot))
    // A decoded link holds what its schema's decode gave: the encoded side decoded again.
    const roundTrip = Schema.decodeSync(ConversationLink)
    const encodeLink = Schema.encodeSync(ConversationLink)
    for (const link of FastCheck.sample(Arbitrary.make(ConversationLink), 300)) {
      const snapshot = targetSnapshotOf(roundTrip(encodeLink(link)))
      expect(JSON.stringify(snapshot)).toBe(encode(snapshot))
    }
  })
})
