// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { fillComposer } from "../../../extension/src/content/core/composer.js"
import { elapse, startScript } from "./harness.js"
import { actAsSite, resetSite } from "./siteBehaviour.js"
import { load, sites } from "./sites.js"

const events = (target: EventTarget, ...types: Array<string>) => {
  const seen: Array<{ type: string; data: string | null }> = []
  for (const type of types) {
    target.addEventListener(type, (event) => seen.push({ type, data: (event as InputEvent).data ?? null }))
  }
  return seen
}

describe("textarea composer", () => {
  it("sets the value through the prototype's setter, which React's own value tracker cannot swallow", () => {
    document.body.innerHTML = "<textarea id=\"prompt-textarea\"></textarea>"
    const textarea = document.querySelector("textarea")!
    const prototypeValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")!
    // React installs an instance property like this to remember the last value it rendered
    const tracked: Array<string> = []
    Object.defineProperty(textarea, "value", {
      configurable: true,
      get() {
        return prototypeValue.get!.call(this)
      },
      set(value: string) {
        tracked.push(value)
        prototypeValue.set!.call(this, value)
      }
    })
    const seen = events(textarea, "input", "change")
    expect(fillComposer(textarea, "[renewal] go on")).toBe(true)
    expect(textarea.value).toBe("[renewal] go on")
    expect(tracked).toEqual([])
    expect(seen.map((e) => e.type)).toEqual(["input", "change"])
  })
})

describe("contenteditable composer", () => {
  afterEach(() => {
    delete (document as { execCommand?: unknown }).execCommand
  })

  it("types with insertText over a selection of the whole editor, like the keyboard would", () => {
    document.body.innerHTML = "<div contenteditable=\"true\" class=\"ProseMirror\"><p>old draft</p></div>"
    const editor = document.querySelector<HTMLElement>(".ProseMirror")!
    const execCommand = vi.fn((command: string, _ui: boolean, text: string) => {
      const range = document.getSelection()!.getRangeAt(0)
      expect(range.toString()).toBe("old draft")
      editor.innerHTML = `<p>${text}</p>`
      return command === "insertText"
    })
    Object.assign(document, { execCommand })
    const seen = events(editor, "beforeinput", "input")
    expect(fillComposer(editor, "hello")).toBe(true)
    expect(execCommand).toHaveBeenCalledWith("insertText", false, "hello")
    expect(editor.textContent).toBe("hello")
    expect(seen).toEqual([]) // the browser's command raised its own events; none faked on top
  })

  it("falls back to writing the text and announcing it with beforeinput and input", () => {
    document.body.innerHTML = "<div contenteditable=\"true\" class=\"ql-editor\"><p><br></p></div>"
    const editor = document.querySelector<HTMLElement>(".ql-editor")!
    Object.assign(document, { execCommand: () => false })
    const seen = events(editor, "beforeinput", "input")
    expect(fillComposer(editor, "line one\n\nline three")).toBe(true)
    expect(Array.from(editor.querySelectorAll("p")).map((p) => p.textContent)).toEqual(["line one", "", "line three"])
    expect(seen).toEqual([
      { type: "beforeinput", data: "line one\n\nline three" },
      { type: "input", data: "line one\n\nline three" }
    ])
  })
})

describe("the older ChatGPT textarea composer, end to end", () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => {
    resetSite()
    vi.useRealTimers()
  })

  it("sends through #prompt-textarea as a textarea", async () => {
    const site = sites[0]!
    load(site, "finished")
    document.querySelector("#prompt-textarea")!.outerHTML = "<textarea id=\"prompt-textarea\"></textarea>"
    const sent = actAsSite(site)
    const script = startScript(site.adapter)
    let result: unknown
    void script.deliver({
      kind: "deliver",
      plan_id: "p",
      conversation_id: site.conversationId,
      message_text: "via textarea",
      timeout_ms: 20_000
    }).then((r) => (result = r))
    await elapse(2_000)
    expect(result).toEqual({ ok: true })
    expect(sent).toEqual(["via textarea"])
    script.stop()
  })
})
