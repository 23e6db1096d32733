import { Command } from "@effect/cli"
import { Effect } from "effect"
import { clientsTable } from "./browserCommand.js"
import { withClient } from "./client.js"
import { connectionOptions } from "./connection.js"
import { leaderText, nodesTable } from "./nodesTable.js"
import { fields, print, table, text, time } from "./output.js"
import { policyTable } from "./policyTable.js"

/**
 * `baa-conductor status`: the node, its automation switch, the leader and its term, every node
 * with its clients, this node's runners and its bridge clients.
 */
export const statusCommand = Command.make(
  "status",
  connectionOptions,
  (args) =>
    withClient(args, (client) =>
      Effect.all({
        system: client.system.state(),
        timed_jobs: client.timedJobs.runners(),
        browser: client.browser.clients()
      }, { concurrency: 3 })).pipe(
        Effect.flatMap((data) =>
          print(args.json, data, ({ browser, system, timed_jobs }) =>
            [
              fields([
                ["automation", system.automation],
                ["node", `${system.node_id} (${system.role})`],
                ["leader", leaderText(system.leader)],
                ["term", system.leader === null ? "-" : String(system.leader.term)],
                ["version", system.version],
                ["started", time(system.started_at)]
              ]),
              "",
              nodesTable(system.nodes),
              "",
              table(
                ["runner", "interval", "last tick", "trigger", "result"],
                timed_jobs.runners.map((r) => [
                  r.name,
                  `${r.interval_ms} ms`,
                  time(r.last_tick?.finished_at),
                  text(r.last_tick?.trigger),
                  text(r.last_tick?.result)
                ])
              ),
              "",
              clientsTable(browser.clients),
              "",
              policyTable(browser.policy)
            ].join("\n"))
        )
      )
).pipe(Command.withDescription("the daemon's state, runners, browser clients and per-platform delivery policy"))
