import type { ComponentChildren } from "preact"
import { useState } from "preact/hooks"
import { ApiError } from "./api.js"
import { notify } from "./notice.js"

export const Badge = ({ value }: { readonly value: string }) => <span class={`badge badge-${value}`}>{value}</span>

/** A timestamp in the reader's zone, with the exact milliseconds on hover. */
export const When = ({ ms }: { readonly ms: number | null | undefined }) =>
  ms === null || ms === undefined ? <span class="muted">—</span> : <time title={String(ms)}>{new Date(ms).toLocaleString()}</time>

export const Failure = ({ error }: { readonly error: Error | undefined }) =>
  error === undefined ? null : <p class="failure" role="alert">{error.message}</p>

export const Loading = () => <p class="muted">Loading…</p>

/** A button that runs a call, stays disabled while it runs, and reports a refusal (409…) as a notice. */
export const Action = (props: {
  readonly label: string
  readonly run: () => Promise<unknown>
  readonly disabled?: boolean | undefined
  readonly testId?: string | undefined
  readonly kind?: "primary" | "danger" | undefined
}) => {
  const [busy, setBusy] = useState(false)
  const click = () => {
    setBusy(true)
    props
      .run()
      .catch((error: unknown) => notify(error instanceof ApiError ? `${error.code}: ${error.message}` : String(error)))
      .finally(() => setBusy(false))
  }
  return (
    <button
      type="button"
      class={props.kind ?? ""}
      disabled={busy || props.disabled === true}
      data-testid={props.testId}
      onClick={click}
    >
      {props.label}
    </button>
  )
}

export const Section = (props: { readonly title: string; readonly children: ComponentChildren; readonly testId?: string }) => (
  <section class="card" data-testid={props.testId}>
    <h2>{props.title}</h2>
    {props.children}
  </section>
)

/** Previous/next over a list with `total` (or only `count` from an older daemon). */
export const Pager = (props: {
  readonly offset: number
  readonly limit: number
  readonly count: number
  readonly total: number | undefined
  readonly onOffset: (offset: number) => void
}) => {
  const { offset, limit, count, total } = props
  const more = total === undefined ? count === limit : offset + count < total
  return (
    <div class="pager">
      <button type="button" disabled={offset === 0} onClick={() => props.onOffset(Math.max(0, offset - limit))}>
        ‹ newer
      </button>
      <span class="muted">
        {count === 0 ? "none" : `${offset + 1}–${offset + count}`}
        {total === undefined ? "" : ` of ${total}`}
      </span>
      <button type="button" disabled={!more} onClick={() => props.onOffset(offset + limit)}>
        older ›
      </button>
    </div>
  )
}

/** A small line chart of per-minute counts; the last value is written next to it. */
export const Sparkline = (props: { readonly values: ReadonlyArray<number>; readonly label: string; readonly kind: string }) => {
  const width = 180
  const height = 32
  const top = Math.max(1, ...props.values)
  const step = width / Math.max(1, props.values.length - 1)
  const points = props.values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / top) * (height - 4)).toFixed(1)}`)
  const sum = props.values.reduce((a, b) => a + b, 0)
  return (
    <figure class={`spark spark-${props.kind}`} data-testid={`spark-${props.kind}`}>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.label}>
        <polyline points={points.join(" ")} fill="none" stroke="currentColor" stroke-width="1.5" />
      </svg>
      <figcaption>
        {props.label}: <strong>{sum}</strong> in {props.values.length} min
      </figcaption>
    </figure>
  )
}
