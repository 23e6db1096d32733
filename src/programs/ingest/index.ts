export * from "./closeTab.js"
export * from "./recordFinalMessage.js"
