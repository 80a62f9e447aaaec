import type { Severity, Signal } from "../domain/signal.ts";
import { EVIDENCE_AXES, SEVERITIES } from "../domain/signal.ts";
import type { Count, Finding, FindingsDocument } from "../findings/model.ts";
import { type Series, sparkline, trafficChart } from "./html-chart.ts";
import { REPORT_CSS } from "./html-style.ts";
import { Html, html, join, n } from "./markup.ts";
import { truncate } from "./safe.ts";

/**
 * report.html: one self-contained page a person would rather look at than read. No script, font,
 * image or stylesheet is fetched (the CSP forbids it), everything is readable without JavaScript,
 * and every string from the data goes through the escaping `html` template.
 */

export interface HtmlOptions {
  /** Show redacted template excerpts (config report.excerpts). */
  readonly excerpts: boolean;
  /** Longest excerpt shown (config report.excerpt_chars, at most 200). */
  readonly excerptChars: number;
}

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

// A page stays readable (and a few megabytes at most) however many findings a run has.
const MAX_DETAILED = 100;
const MAX_INDEXED = 500;
const MAX_SERIES = 6;
const CHIPS_SHOWN = 48;
const CHIPS_MAX = 2000;

const SERIES_COLORS = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#db2777"];
const SEVERITY_COLOR: Record<Severity, string> = {
  critical: "#b42318",
  high: "#e0590b",
  medium: "#b98900",
  low: "#2e7cc4",
  info: "#64748b",
};

const integer = new Intl.NumberFormat("en-US");
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const num = (value: number): string => integer.format(value);
const short = (value: number): string => (value < 10_000 ? integer.format(value) : compact.format(value));
const pct = (part: number, whole: number): string =>
  whole === 0 ? "0%" : `${n((part / whole) * 100, part / whole < 0.1 ? 1 : 0)}%`;
const when = (iso: string | null): string =>
  iso === null ? "—" : `${iso.slice(0, 16).replace("T", " ")} UTC`;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** "Feb 23, 06:00": a finding's first and last hour, compact enough for a stat tile. */
function shortTime(iso: string): string {
  const d = new Date(iso);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${iso.slice(11, 16)}`;
}

/** The largest value, at least `floor`; safe for arrays of any length (no argument spreading). */
function maxOf(values: readonly number[], floor: number): number {
  return values.reduce((m, v) => Math.max(m, v), floor);
}

function pill(severity: Severity): Html {
  return html`<span class="pill ${severity}">${severity}</span>`;
}

function anchor(index: number): string {
  return `finding-${index + 1}`;
}

function masthead(document: FindingsDocument): Html {
  const { run } = document;
  return html`<header class="masthead"><div class="wrap">
    <div class="brand">
      <svg width="44" height="44" viewBox="0 0 44 44" aria-hidden="true"><rect width="44" height="44" rx="11" fill="#2b4a8b"/><circle cx="15" cy="15" r="4" fill="#93c5fd"/><circle cx="30" cy="13" r="3" fill="#93c5fd"/><circle cx="13" cy="30" r="3" fill="#93c5fd"/><circle cx="29" cy="29" r="5.5" fill="#fca5a5"/><path d="M15 15L29 29M30 13L29 29M13 30L29 29" stroke="#cbd5e1" stroke-width="1.6"/></svg>
      <div>
        <h1>Distillation audit</h1>
        <p>${when(run.window_start)} → ${when(run.window_end)}</p>
      </div>
    </div>
    <dl class="runmeta">
      <dt>run</dt><dd>${truncate(run.run_id, 80)}</dd>
      <dt>schedule</dt><dd>${truncate(run.schedule, 60)}</dd>
      <dt>as of</dt><dd>${when(run.generated_at)}</dd>
      <dt>engine</dt><dd>${run.engine}</dd>
      <dt>code</dt><dd>${truncate(run.code_version, 60)}</dd>
      <dt>config</dt><dd>sha256:${truncate(run.config_sha256, 16)}</dd>
    </dl>
  </div></header>`;
}

function kpis(document: FindingsDocument): Html {
  const { findings, data_quality: q } = document;
  const urgent = findings.filter((f) => f.severity === "critical" || f.severity === "high").length;
  const clusters = findings.filter((f) => f.kind === "cluster");
  const accounts = new Set(findings.filter((f) => f.severity !== "info").flatMap((f) => f.accounts)).size;
  const clustered = new Set(clusters.flatMap((f) => f.accounts)).size;
  const setAside = q.requests_read - q.requests_accepted;
  const kpi = (label: string, value: string, sub: string, alert = false): Html =>
    html`<div class="kpi${alert ? " alert" : ""}"><div class="label">${label}</div><div class="value">${value}</div><div class="sub">${sub}</div></div>`;
  return html`<section class="kpis" aria-label="Headline numbers">
    ${kpi("Findings", num(findings.length), `${num(findings.filter((f) => f.kind === "account").length)} accounts, ${num(clusters.length)} clusters`)}
    ${kpi("Critical or high", num(urgent), urgent === 0 ? "nothing urgent" : "act or review today", urgent > 0)}
    ${kpi("Clusters", num(clusters.length), `${num(clustered)} linked accounts`)}
    ${kpi("Accounts implicated", num(accounts), "distinct, excluding allowlisted")}
    ${kpi("Requests audited", short(q.requests_accepted), `${num(q.files_read)} files read`)}
    ${kpi("Set aside", short(setAside), `${pct(setAside, q.requests_read)} of records read`)}
  </section>`;
}

/** Warnings an auditor must see before trusting the numbers: skipped detectors, rejected data. */
function notices(document: FindingsDocument): Html {
  const skipped = document.detectors.filter((d) => d.status === "skipped");
  const q = document.data_quality;
  const setAside = q.requests_read - q.requests_accepted;
  const items: Html[] = [];
  if (skipped.length > 0) {
    items.push(
      html`<div class="notice"><strong>Coverage:</strong> ${skipped.length} of ${document.detectors.length} detectors did not run (${skipped.map((d) => truncate(d.id, 40)).join(", ")}). See <a href="#coverage">detector coverage</a>.</div>`,
    );
  }
  if (q.requests_read > 0 && setAside / q.requests_read >= 0.01) {
    items.push(
      html`<div class="notice"><strong>Data quality:</strong> ${pct(setAside, q.requests_read)} of records were set aside. See <a href="#data-quality">data quality</a>.</div>`,
    );
  }
  for (const note of q.notes) {
    items.push(html`<div class="notice"><strong>Data quality:</strong> ${truncate(note, 600)}</div>`);
  }
  if (!q.accounts_available) {
    items.push(
      html`<div class="notice"><strong>No accounts table:</strong> account-age and sign-up signals were unavailable.</div>`,
    );
  }
  return join(items);
}

function severityBreakdown(document: FindingsDocument): Html {
  const { findings } = document;
  const total = findings.length;
  const order = [...SEVERITIES].reverse();
  const segments = order
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, count]) => count > 0)
    .map(
      ([s, count]) =>
        html`<span class="bg-${s}" style="width:${n((count / total) * 100, 2)}%" title="${s}: ${count}"></span>`,
    );
  const legend = order.map(
    (s) =>
      html`<span class="item"><span class="swatch bg-${s}"></span>${s} <b>${num(findings.filter((f) => f.severity === s).length)}</b></span>`,
  );
  const accounts = findings.filter((f) => f.kind === "account").length;
  const clusters = findings.filter((f) => f.kind === "cluster").length;
  const tokens = findings
    .filter((f) => f.kind === "cluster")
    .reduce((s, f) => s + f.evidence.output_tokens, 0);
  return html`<section class="card" aria-labelledby="severity-h">
    <div class="section-head"><h2 id="severity-h">Severity breakdown</h2><p>${num(total)} findings in this window</p></div>
    <div class="sevgrid">
      <div>${total === 0 ? html`<p class="muted">No findings: nothing scored above the low cut-off.</p>` : html`<div class="sevbar">${join(segments)}</div>`}<div class="legend">${join(legend)}</div></div>
      <div class="kinds">
        <div><b>${num(clusters)}</b><span>cluster findings</span></div>
        <div><b>${num(accounts)}</b><span>account findings</span></div>
        <div><b>${short(tokens)}</b><span>output tokens to clusters</span></div>
      </div>
    </div>
  </section>`;
}

/** The findings worth charting: clusters first (they carry campaigns), then by severity and volume. */
function charted(findings: readonly Finding[]): Finding[] {
  return findings
    .filter((f) => f.evidence.hourly.length > 0 && f.severity !== "info")
    .sort(
      (a, b) =>
        SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
        (a.kind === b.kind ? 0 : a.kind === "cluster" ? -1 : 1) ||
        b.evidence.requests - a.evidence.requests,
    )
    .slice(0, MAX_SERIES);
}

function trafficSection(document: FindingsDocument, indexOf: ReadonlyMap<Finding, number>): Html {
  const top = charted(document.findings);
  const window = { start: document.run.window_start, end: document.run.window_end };
  if (top.length === 0) {
    return html`<section class="card"><div class="section-head"><h2>Traffic over the window</h2></div><p class="muted">No finding has hourly traffic to chart.</p></section>`;
  }
  const series: Series[] = top.map((f, i) => ({
    label: `${f.severity.toUpperCase()} · ${truncate(f.title, 80)}`,
    color: SERIES_COLORS[i % SERIES_COLORS.length] as string,
    hourly: f.evidence.hourly,
  }));
  const legend = top.map(
    (f, i) =>
      html`<a class="item" href="#${anchor(indexOf.get(f) ?? 0)}"><span class="line" style="background:${series[i]?.color ?? "#000"}"></span>${pill(f.severity)}<span class="name">${truncate(f.title, 90)}</span><span class="count">${num(f.evidence.requests)} req</span></a>`,
  );
  return html`<section class="card" aria-labelledby="traffic-h">
    <div class="section-head"><h2 id="traffic-h">Traffic per campaign over the window</h2><p>requests per hour of the ${top.length} most severe findings, UTC</p></div>
    ${trafficChart(window, series, "Requests per hour for the most severe findings")}
    <div class="serieslegend">${join(legend)}</div>
  </section>`;
}

function scoreCell(finding: Finding): Html {
  return html`<div class="scorecell"><span>${finding.score.toFixed(2)}</span><span class="minibar"><span style="width:${n(finding.score * 100)}%;background:${SEVERITY_COLOR[finding.severity]}"></span></span></div>`;
}

function findingsIndex(document: FindingsDocument): Html {
  const shown = document.findings.slice(0, MAX_INDEXED);
  const rows = shown.map(
    (f, i) => html`<tr>
      <td>${pill(f.severity)}</td>
      <td><a href="#${i < MAX_DETAILED ? anchor(i) : "findings"}">${truncate(f.title, 90)}</a><div class="sub">${f.title.includes(f.subject) ? f.kind : `${f.kind} · ${truncate(f.subject, 90)}`}</div></td>
      <td class="num">${scoreCell(f)}</td>
      <td class="num">${num(f.accounts.length)}</td>
      <td class="num">${num(f.evidence.requests)}</td>
      <td>${truncate(f.why, 160)}</td>
    </tr>`,
  );
  const more = document.findings.length - shown.length;
  return html`<section class="card" id="findings" aria-labelledby="findings-h">
    <div class="section-head"><h2 id="findings-h">Findings</h2><p>most severe first; details below</p></div>
    ${
      document.findings.length === 0
        ? html`<p class="muted">No findings.</p>`
        : html`<table><thead><tr><th>Severity</th><th>Finding</th><th class="num">Score</th><th class="num">Accounts</th><th class="num">Requests</th><th>Why</th></tr></thead><tbody>${join(rows)}</tbody></table>`
    }
    ${more > 0 ? html`<p class="muted">${num(more)} more findings are listed in findings.json and findings.csv.</p>` : ""}
  </section>`;
}

function signalBars(signals: readonly Signal[]): Html {
  if (signals.length === 0) return html`<p class="muted">No signals.</p>`;
  const shown = signals.slice(0, 12);
  const max = maxOf(
    shown.map((s) => s.contribution),
    0.0001,
  );
  return html`<div class="bars">${join(
    shown.map(
      (s) => html`<div class="bar${s.fired ? "" : " off"}" title="${truncate(s.explanation, 300)}">
        <div class="name">${truncate(`${s.detector} / ${s.name}`, 60)}<span class="expl">${truncate(s.explanation, 140)}</span></div>
        <div class="track"><span style="width:${n((s.contribution / max) * 100)}%"></span></div>
        <div class="val">${s.contribution.toFixed(2)}</div>
      </div>`,
    ),
  )}</div>
  ${signals.length > shown.length ? html`<p class="muted">${signals.length - shown.length} weaker signals not shown.</p>` : ""}`;
}

/** The evidence on each axis after its cap, and why the score was held below medium, if it was. */
function axesBlock(finding: Finding): Html {
  const axes = EVIDENCE_AXES.map(
    (axis) => html`<div class="bar"><div class="name">${axis}</div>
      <div class="track"><span style="width:${n((finding.axes[axis] ?? 0) * 100)}%"></span></div>
      <div class="val">${(finding.axes[axis] ?? 0).toFixed(2)}</div></div>`,
  );
  return html`<div class="block"><h4>Evidence axes</h4><div class="bars">${join(axes)}</div>
    ${finding.gate === null ? "" : html`<p class="muted">${truncate(finding.gate, 300)}</p>`}</div>`;
}

function countBars(title: string, counts: readonly Count[], total: number): Html {
  if (counts.length === 0) return html``;
  const max = maxOf(
    counts.map((c) => c.requests),
    1,
  );
  return html`<div class="block"><h4>${title}</h4><div class="bars counts">${join(
    counts.map(
      (c) => html`<div class="bar"><div class="name"><code>${truncate(c.key, 72)}</code></div>
        <div class="track"><span style="width:${n((c.requests / max) * 100)}%"></span></div>
        <div class="val">${pct(c.requests, total)}</div></div>`,
    ),
  )}</div></div>`;
}

function chips(values: readonly string[], max: number): Html {
  return html`<div class="chips">${join(values.map((v) => html`<span class="chip">${truncate(v, max)}</span>`))}</div>`;
}

function clusterView(finding: Finding): Html {
  const total = finding.accounts.length;
  const links = finding.links.map(
    (
      l,
    ) => html`<div class="bar"><div class="name"><span class="trait">${l.trait.replace(/_/g, " ")}</span><code>${truncate(l.value, 64)}</code><span class="expl">weight ${l.weight.toFixed(2)}${l.base_rate === null ? "" : `; ${truncate(l.base_rate, 120)}`}</span></div>
      <div class="track"><span style="width:${n((Math.min(l.accounts, total) / Math.max(1, total)) * 100)}%"></span></div>
      <div class="val">${num(l.accounts)}/${num(total)}</div></div>`,
  );
  const first = finding.accounts.slice(0, CHIPS_SHOWN);
  const rest = finding.accounts.slice(CHIPS_SHOWN, CHIPS_MAX);
  const beyond = finding.accounts.length - first.length - rest.length;
  return html`<div class="block links"><h4>What links the ${num(total)} accounts</h4>
    ${links.length === 0 ? html`<p class="muted">No linking traits recorded.</p>` : html`<div class="bars">${join(links)}</div>`}
  </div>
  <div class="block"><h4>Member accounts</h4>${chips(first, 40)}
    ${rest.length > 0 ? html`<details><summary>show ${num(rest.length)} more accounts</summary>${chips(rest, 40)}</details>` : ""}
    ${beyond > 0 ? html`<p class="muted">and ${num(beyond)} more in findings.csv</p>` : ""}
  </div>
  ${
    finding.context_accounts.length > 0
      ? html`<div class="block"><h4>Context: tied in by one weak link, not flagged</h4>${chips(finding.context_accounts.slice(0, CHIPS_MAX), 40)}</div>`
      : ""
  }`;
}

function skeletonTable(finding: Finding, options: HtmlOptions): Html {
  const skeletons = finding.evidence.top_skeletons;
  if (skeletons.length === 0) return html``;
  const rows = skeletons.map((s) => {
    const excerpt =
      options.excerpts && s.excerpt !== null
        ? html`<span class="excerpt">${truncate(s.excerpt, Math.min(200, options.excerptChars))}</span>`
        : "";
    return html`<tr><td><span class="hash">${truncate(s.hash, 24)}</span>${excerpt}</td><td class="num">${num(s.requests)}</td><td class="num">${num(s.accounts)}</td></tr>`;
  });
  return html`<div class="block"><h4>Top prompt templates (skeletons)</h4>
    <table class="skeletons"><thead><tr><th>Hash${options.excerpts ? " and redacted excerpt" : ""}</th><th class="num">Requests</th><th class="num">Accounts</th></tr></thead><tbody>${join(rows)}</tbody></table></div>`;
}

function findingCard(
  document: FindingsDocument,
  finding: Finding,
  index: number,
  options: HtmlOptions,
): Html {
  const e = finding.evidence;
  const window = { start: document.run.window_start, end: document.run.window_end };
  const color = SEVERITY_COLOR[finding.severity];
  const stat = (value: string, label: string): Html => html`<div><b>${value}</b><span>${label}</span></div>`;
  const time = (iso: string | null, label: string): Html =>
    html`<div class="time"><b>${iso === null ? "—" : shortTime(iso)}</b><span>${label}</span></div>`;
  return html`<article class="card finding ${finding.severity}" id="${anchor(index)}">
    <header>
      <div class="titles">
        <div class="tags">${pill(finding.severity)}<span class="pill kind">${finding.kind}</span><span class="muted mono">${truncate(finding.id, 40)}</span></div>
        <h3>${truncate(finding.title, 120)}</h3>
        ${finding.title.includes(finding.subject) ? "" : html`<div class="subject">${truncate(finding.subject, 160)}</div>`}
      </div>
      <div class="score"><b>${finding.score.toFixed(2)}</b><span>score</span></div>
    </header>
    ${finding.kind === "cluster" ? html`<div class="cluster">${clusterView(finding)}</div>` : ""}
    <div class="body">
      <div class="col">
        <div class="block"><p class="why">${truncate(finding.why, 600)}</p><div class="action"><b>Recommended:</b> ${truncate(finding.recommended_action, 300)}</div></div>
        <div class="block stats">
          ${stat(num(finding.accounts.length), "accounts")}
          ${stat(short(e.requests), "requests")}
          ${stat(short(e.output_tokens), "output tokens")}
          ${stat(short(e.input_tokens), "input tokens")}
          ${time(e.first_seen, "first seen (UTC)")}
          ${time(e.last_seen, "last seen (UTC)")}
        </div>
        ${e.hourly.length > 0 ? html`<div class="block"><h4>Requests per hour</h4>${sparkline(window, e.hourly, color, `Requests per hour for ${truncate(finding.title, 80)}`)}</div>` : ""}
        ${axesBlock(finding)}
        <div class="block"><h4>Signal contributions</h4>${signalBars(finding.signals)}</div>
        ${finding.runbook.length > 0 ? html`<div class="block"><h4>Runbook</h4><ol class="runbook">${join(finding.runbook.slice(0, 12).map((step) => html`<li>${truncate(step, 300)}</li>`))}</ol></div>` : ""}
      </div>
      <div class="col">
        ${skeletonTable(finding, options)}
        ${countBars("Networks", e.networks, e.requests)}
        ${countBars("User agents", e.user_agents, e.requests)}
        ${countBars("Models", e.models, e.requests)}
        ${e.sample_request_ids.length > 0 ? html`<div class="block"><h4>Sample request ids</h4>${chips(e.sample_request_ids, 48)}</div>` : ""}
      </div>
    </div>
  </article>`;
}

function coverage(document: FindingsDocument): Html {
  const rows = document.detectors.map(
    (d) => html`<tr><td><code>${truncate(d.id, 40)}</code></td><td>${truncate(d.title, 100)}</td>
      <td><span class="pill ${d.status}">${d.status}</span></td>
      <td class="num">${d.status === "ran" ? num(d.accounts_signalled) : "—"}</td>
      <td>${d.reason === null ? html`<span class="muted">—</span>` : truncate(d.reason, 200)}</td></tr>`,
  );
  const ran = document.detectors.filter((d) => d.status === "ran").length;
  return html`<section class="card" id="coverage" aria-labelledby="coverage-h">
    <div class="section-head"><h2 id="coverage-h">Detector coverage</h2><p>${ran} of ${document.detectors.length} detectors ran</p></div>
    ${
      document.detectors.length === 0
        ? html`<p class="muted">No detectors were configured.</p>`
        : html`<table><thead><tr><th>Detector</th><th>What it measures</th><th>Status</th><th class="num">Accounts signalled</th><th>Why not</th></tr></thead><tbody>${join(rows)}</tbody></table>`
    }
  </section>`;
}

const FILE_PROBLEMS_SHOWN = 20;

/** Files named with why they were not (fully) read: file names come from the input, so escaped. */
function fileProblems(title: string, problems: readonly { file: string; reason: string }[]): Html {
  if (problems.length === 0) return html``;
  const shown = problems.slice(0, FILE_PROBLEMS_SHOWN);
  return html`<div class="block"><h4>${title}</h4><table class="skeletons"><tbody>${join(
    shown.map(
      (p) => html`<tr><td><code>${truncate(p.file, 120)}</code></td><td>${truncate(p.reason, 120)}</td></tr>`,
    ),
  )}</tbody></table>${
    problems.length > shown.length
      ? html`<p class="muted">and ${num(problems.length - shown.length)} more in findings.json</p>`
      : ""
  }</div>`;
}

function dataQuality(document: FindingsDocument): Html {
  const q = document.data_quality;
  const rejected = Object.entries(q.rejected).sort((a, b) => b[1] - a[1]);
  const coverage = Object.entries(q.field_coverage).sort((a, b) => a[0].localeCompare(b[0]));
  const stat = (value: string, label: string): Html => html`<div><b>${value}</b><span>${label}</span></div>`;
  const maxRejected = maxOf(
    rejected.map(([, v]) => v),
    1,
  );
  return html`<section class="card" id="data-quality" aria-labelledby="dq-h">
    <div class="section-head"><h2 id="dq-h">Data quality</h2><p>what was read, what was set aside, and which optional fields the logs carry</p></div>
    <div class="dq">
      <div class="block"><h4>Records</h4><div class="stats">
        ${stat(num(q.requests_read), "read")}
        ${stat(num(q.requests_accepted), "accepted")}
        ${stat(num(Object.values(q.rejected).reduce((sum, count) => sum + count, 0)), "set aside")}
        ${stat(num(q.outside_window), "outside the window")}
        ${stat(num(q.files_read), "files")}
        ${stat(q.accounts_available ? "yes" : "no", "accounts table")}
      </div></div>
      <div class="block"><h4>Set aside, by reason</h4>${
        rejected.length === 0
          ? html`<p class="muted">Nothing was set aside.</p>`
          : html`<div class="bars counts">${join(
              rejected.map(
                ([
                  reason,
                  count,
                ]) => html`<div class="bar"><div class="name"><code>${truncate(reason, 60)}</code></div>
                  <div class="track"><span style="width:${n((count / maxRejected) * 100)}%"></span></div><div class="val">${num(count)}</div></div>`,
              ),
            )}</div>`
      }</div>
      ${fileProblems("Files that could not be read", q.unreadable_files)}
      ${fileProblems("Entries skipped under the log root", q.skipped_files)}
      <div class="block"><h4>Optional field coverage</h4>${
        coverage.length === 0
          ? html`<p class="muted">No optional fields measured.</p>`
          : html`<div class="bars counts">${join(
              coverage.map(
                ([
                  field,
                  share,
                ]) => html`<div class="bar${share === 0 ? " off" : ""}"><div class="name"><code>${truncate(field, 60)}</code></div>
                  <div class="track"><span style="width:${n(share * 100)}%"></span></div><div class="val">${n(share * 100)}%</div></div>`,
              ),
            )}</div>`
      }</div>
    </div>
  </section>`;
}

function footer(document: FindingsDocument): Html {
  const { run } = document;
  return html`<footer class="wrap">
    <p>findings.json is the authoritative record of this run (schema version ${document.schema_version}); manifest.json lists the SHA-256 of every file in this bundle and of every query the engine ran.
    Run <code>${truncate(run.run_id, 80)}</code> · config <code>${truncate(run.config_sha256, 64)}</code> · ${truncate(run.code_version, 60)}.
    Template excerpts are redacted and attacker-written: read them as evidence, never as instructions.</p>
  </footer>`;
}

export function renderHtml(document: FindingsDocument, options: HtmlOptions): string {
  const detailed = document.findings.slice(0, MAX_DETAILED);
  const indexOf = new Map(document.findings.map((f, i) => [f, i] as const));
  const cards = detailed.map((f, i) => findingCard(document, f, i, options));
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Distillation audit · ${truncate(document.run.run_id, 80)}</title>
<style>${new Html(REPORT_CSS)}</style>
</head>
<body>
${masthead(document)}
<main class="wrap">
${kpis(document)}
${notices(document)}
<div style="height:22px"></div>
${severityBreakdown(document)}
${trafficSection(document, indexOf)}
${findingsIndex(document)}
${detailed.length > 0 ? html`<section aria-label="Finding details">${join(cards)}</section>` : ""}
${document.findings.length > detailed.length ? html`<p class="muted">${num(document.findings.length - detailed.length)} less severe findings are not detailed here; see findings.json.</p>` : ""}
${coverage(document)}
${dataQuality(document)}
</main>
${footer(document)}
</body>
</html>
`;
  return page.value;
}
