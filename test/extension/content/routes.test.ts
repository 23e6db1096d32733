import { describe, expect, it } from "vitest"
import { chatgpt } from "../../../extension/src/content/adapters/chatgpt.js"
import { claude } from "../../../extension/src/content/adapters/claude.js"
import { gemini } from "../../../extension/src/content/adapters/gemini.js"
import { conversationIdOf } from "../../../extension/src/content/core/route.js"

describe("conversation ids from routes", () => {
  it.each([
    ["https://chatgpt.com/c/67a1-b2c3", "67a1-b2c3", chatgpt],
    ["https://chatgpt.com/c/67a1-b2c3?model=gpt-4o#end", "67a1-b2c3", chatgpt],
    ["https://chatgpt.com/g/g-abc123-writer/c/67a1-b2c3", "67a1-b2c3", chatgpt],
    ["https://chatgpt.com/c/67a1-b2c3/", "67a1-b2c3", chatgpt],
    ["https://chatgpt.com/", null, chatgpt],
    ["https://chatgpt.com/g/g-abc123-writer", null, chatgpt],
    ["https://chatgpt.com/gpts", null, chatgpt],
    ["https://chatgpt.com/c/", null, chatgpt],
    ["https://claude.ai/chat/0f1e2d3c-4b5a-6978", "0f1e2d3c-4b5a-6978", claude],
    ["https://claude.ai/new", null, claude],
    ["https://claude.ai/recents", null, claude],
    ["https://gemini.google.com/app/8a7b6c5d4e3f", "8a7b6c5d4e3f", gemini],
    ["https://gemini.google.com/u/1/app/8a7b6c5d4e3f", "8a7b6c5d4e3f", gemini],
    ["https://gemini.google.com/gem/coding-partner/8a7b6c5d4e3f", "8a7b6c5d4e3f", gemini],
    ["https://gemini.google.com/app", null, gemini],
    ["https://gemini.google.com/u/1/app", null, gemini]
  ])("%s → %s", (url, id, adapter) => {
    expect(conversationIdOf(adapter, url)).toBe(id)
  })
})
