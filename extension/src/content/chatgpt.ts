import { chatgpt } from "./adapters/chatgpt.js"
import { runContentScript } from "./core/browserPort.js"

runContentScript(chatgpt)
