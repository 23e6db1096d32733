export { bridgeSimCommand } from "./command.js"
export { runBridgeSim, SimError } from "./simulator.js"
export type { DeliveryMode, SimConfig } from "./SimConfig.js"
