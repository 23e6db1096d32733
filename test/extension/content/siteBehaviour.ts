import type { SiteCase } from "./sites.js"

export interface SiteBehaviour {
  /** The send button enables once the composer has text, as the sites' React/Angular code does. */
  readonly enablesSend: boolean
  /** A sent message shows up in the thread. */
  readonly echoes: boolean
}

const composerText = (composer: HTMLElement): string =>
  composer instanceof HTMLTextAreaElement ? composer.value : composer.innerText

let wired = new AbortController()

/** Removes what `actAsSite` wired, so the next test's page starts bare. */
export const resetSite = (): void => {
  wired.abort()
  wired = new AbortController()
}

/** Wires the snapshot's composer and send button like the live site; returns the texts sent. */
export const actAsSite = (site: SiteCase, behaviour: SiteBehaviour = { enablesSend: true, echoes: true }) => {
  const { selectors } = site.adapter
  const sent: Array<string> = []
  const composer = () => document.querySelector<HTMLElement>(selectors.composer)!
  const button = () => document.querySelector<HTMLButtonElement>(selectors.sendButton)!
  const disabled = (b: HTMLButtonElement) => b.disabled || b.getAttribute("aria-disabled") === "true"
  document.addEventListener("input", () => {
    if (!behaviour.enablesSend) return
    button().disabled = false
    if (button().hasAttribute("aria-disabled")) button().setAttribute("aria-disabled", "false")
  }, { signal: wired.signal })
  document.addEventListener("click", (event) => {
    const target = event.target as HTMLElement
    if (!target.matches(selectors.sendButton) || disabled(target as HTMLButtonElement)) return
    const text = composerText(composer()).trim()
    if (text === "") return
    sent.push(text)
    if (behaviour.echoes) site.appendUser(document, text)
    if (composer() instanceof HTMLTextAreaElement) (composer() as HTMLTextAreaElement).value = ""
    else composer().innerHTML = "<p><br></p>"
  }, { signal: wired.signal })
  return sent
}
