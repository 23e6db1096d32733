export { bridgeSimCommand } from "./command.js"
export type { DeliveryMode, SimConfig } from "./SimConfig.js"
export { runBridgeSim, SimError } from "./simulator.js"
