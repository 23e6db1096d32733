/** What the user sees of an element: its rendered text, trimmed. */
export const visibleText = (element: Element): string => {
  const rendered = (element as HTMLElement).innerText
  return (typeof rendered === "string" ? rendered : element.textContent ?? "").trim()
}

/** Whitespace collapsed, for comparing what was typed with what a page renders. */
export const normalized = (text: string): string => text.replace(/\s+/g, " ").trim()
