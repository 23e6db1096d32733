import { claude } from "./adapters/claude.js"
import { runContentScript } from "./core/browserPort.js"

runContentScript(claude)
