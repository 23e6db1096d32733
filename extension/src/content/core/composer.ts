import { normalized, visibleText } from "./text.js"

const composerText = (composer: HTMLElement): string =>
  composer instanceof HTMLTextAreaElement || composer instanceof HTMLInputElement
    ? composer.value
    : visibleText(composer)

/**
 * A textarea's value set through the prototype's own setter, then an `input` event: React tracks
 * the value it last set, and a plain `value =` would be reverted as if nothing was typed.
 */
const fillTextarea = (composer: HTMLTextAreaElement | HTMLInputElement, text: string): void => {
  const prototype = composer instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype
  const setValue = Object.getOwnPropertyDescriptor(prototype, "value")?.set
  if (setValue) setValue.call(composer, text)
  else composer.value = text
  composer.dispatchEvent(new Event("input", { bubbles: true }))
  composer.dispatchEvent(new Event("change", { bubbles: true }))
}

const editCommand = (doc: Document, command: string, value?: string): boolean => {
  try {
    return typeof doc.execCommand === "function" && doc.execCommand(command, false, value)
  } catch {
    return false
  }
}

/**
 * ProseMirror and Quill keep their own document and only learn of edits through the browser's
 * editing commands or input events, so the text goes in as if typed: select what is there (a
 * leftover draft would otherwise be sent along), then `insertText` line by line with a line
 * break between, as Shift+Enter types one (Enter would send). Where those commands are missing
 * or ignored, write the text and announce it with `beforeinput`/`input`.
 */
const fillEditable = (composer: HTMLElement, text: string): void => {
  const doc = composer.ownerDocument
  const selection = doc.getSelection()
  if (selection) {
    const range = doc.createRange()
    range.selectNodeContents(composer)
    selection.removeAllRanges()
    selection.addRange(range)
  }
  const typed = text.split("\n").every((line, i) =>
    (i === 0 || editCommand(doc, "insertLineBreak")) && (line === "" || editCommand(doc, "insertText", line))
  )
  if (typed && normalized(composerText(composer)) === normalized(text)) return
  composer.dispatchEvent(
    new InputEvent("beforeinput", { bubbles: true, cancelable: true, inputType: "insertText", data: text })
  )
  composer.replaceChildren(
    ...text.split("\n").map((line) => {
      const paragraph = doc.createElement("p")
      if (line.length > 0) paragraph.textContent = line
      else paragraph.appendChild(doc.createElement("br"))
      return paragraph
    })
  )
  composer.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: text }))
}

/**
 * Puts `text` in the composer, replacing any draft; false when the composer stayed empty. (An
 * editor may reshape the text, e.g. markdown shortcuts, so only emptiness is a sure failure.)
 */
export const fillComposer = (composer: HTMLElement, text: string): boolean => {
  composer.focus()
  if (composer instanceof HTMLTextAreaElement || composer instanceof HTMLInputElement) fillTextarea(composer, text)
  else fillEditable(composer, text)
  return normalized(composerText(composer)) !== ""
}

export const isDisabled = (button: Element): boolean =>
  (button as HTMLButtonElement).disabled === true || button.getAttribute("aria-disabled") === "true"
