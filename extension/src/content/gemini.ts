import { gemini } from "./adapters/gemini.js"
import { runContentScript } from "./core/browserPort.js"

runContentScript(gemini)
