import { Command, Options } from "@effect/cli"
import { Config, Option } from "effect"
import { DEFAULT_URL } from "../../services/ConductorConfig.js"
import { runBridgeSim } from "./simulator.js"

const url = Options.text("url").pipe(
  Options.withFallbackConfig(Config.string("BAA_URL")),
  Options.withDefault(DEFAULT_URL),
  Options.withDescription("the daemon's address (env BAA_URL)")
)
const token = Options.redacted("token").pipe(
  Options.withFallbackConfig(Config.redacted("BAA_TOKEN")),
  Options.withDescription("the daemon's shared token (env BAA_TOKEN)")
)
const clientId = Options.text("client-id").pipe(
  Options.withDefault("bridge-sim"),
  Options.withDescription("the client id to say hello with")
)
const platform = Options.text("platform").pipe(Options.withDefault("chatgpt"))
const mode = Options.choice("mode", ["accept", "reject", "silent"]).pipe(
  Options.withDefault("accept"),
  Options.withDescription("how to answer browser.proxy_delivery: accept, reject with --reject-reason, or not at all")
)
const rejectReason = Options.text("reject-reason").pipe(Options.withDefault("rejected_by_simulator"))
const reply = Options.text("reply").pipe(
  Options.repeated,
  Options.withDescription("report a final reply with this text (repeatable)")
)
const file = Options.text("file").pipe(
  Options.optional,
  Options.withDescription(
    "report replies from a file of JSON lines (partial browser.final_message objects); - for stdin"
  )
)
const conversationId = Options.text("conversation-id").pipe(Options.withDefault("conv_sim"))
const tabId = Options.integer("tab-id").pipe(Options.withDefault(1))
const pageUrl = Options.text("page-url").pipe(
  Options.optional,
  Options.withDescription("the tab's page; defaults to the platform's URL for the conversation")
)
const messageId = Options.text("message-id").pipe(
  Options.optional,
  Options.withDescription("id of the first reply (later ones get -2, -3, …); default: unique per run")
)
const exitAfterReplies = Options.boolean("exit-after-replies").pipe(
  Options.withDescription("exit once every reply is acknowledged instead of staying connected")
)

/** `baa-conductor bridge-sim`: a stand-in browser extension for trying the daemon out. */
export const bridgeSimCommand = Command.make(
  "bridge-sim",
  {
    url,
    token,
    clientId,
    platform,
    mode,
    rejectReason,
    reply,
    file,
    conversationId,
    tabId,
    pageUrl,
    messageId,
    exitAfterReplies
  },
  (flags) =>
    runBridgeSim({
      url: flags.url,
      token: flags.token,
      clientId: flags.clientId,
      platform: flags.platform,
      mode: flags.mode,
      rejectReason: flags.rejectReason,
      replies: flags.reply,
      file: Option.getOrNull(flags.file),
      conversationId: flags.conversationId,
      tabId: flags.tabId,
      pageUrl: Option.getOrNull(flags.pageUrl),
      messageId: Option.getOrNull(flags.messageId),
      exitAfterReplies: flags.exitAfterReplies
    })
).pipe(
  Command.withDescription("connect as a browser client: report replies and answer deliveries, printing every frame")
)
