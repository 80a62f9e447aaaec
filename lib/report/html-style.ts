/**
 * The report's only stylesheet, inlined (the CSP allows inline styles and nothing else). System
 * fonts only; print rules keep cards whole and colours exact.
 */
export const REPORT_CSS = `
:root {
  color-scheme: light;
  --ink: #0f172a; --ink-2: #334155; --muted: #64748b; --line: #e2e8f0; --paper: #ffffff; --bg: #f1f4f8;
  --accent: #1d4ed8;
  --critical: #b42318; --critical-bg: #fef3f2;
  --high: #e0590b; --high-bg: #fff4ec;
  --medium: #b98900; --medium-bg: #fefbe8;
  --low: #2e7cc4; --low-bg: #eff6ff;
  --info: #64748b; --info-bg: #f1f5f9;
  --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Liberation Sans", Arial, sans-serif;
  overflow-wrap: anywhere;
}
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, .mono { font-family: var(--mono); font-size: 12.5px; }
h1, h2, h3, h4 { margin: 0; line-height: 1.25; }
h2 { font-size: 18px; font-weight: 650; letter-spacing: -0.01em; }
h3 { font-size: 16px; font-weight: 650; }
h4 { font-size: 12px; font-weight: 650; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin: 0 0 8px; }
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 24px; }

.masthead { background: linear-gradient(120deg, #0b1224 0%, #17233f 60%, #1d2d52 100%); color: #e2e8f0; padding: 26px 0 74px; }
.masthead .wrap { display: flex; justify-content: space-between; gap: 24px; align-items: flex-start; flex-wrap: wrap; }
.brand { display: flex; gap: 14px; align-items: center; }
.brand svg { flex: none; }
.brand h1 { font-size: 24px; font-weight: 700; color: #fff; letter-spacing: -0.02em; }
.brand p { margin: 2px 0 0; color: #9fb0cc; }
.runmeta { display: grid; grid-template-columns: auto minmax(0, auto); max-width: 100%; gap: 2px 14px; font-size: 12.5px; color: #9fb0cc; }
.runmeta dt { text-align: right; }
.runmeta dd { margin: 0; color: #e2e8f0; font-family: var(--mono); font-size: 12px; }

main.wrap { margin-top: -52px; padding-bottom: 40px; }
section { margin-bottom: 22px; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: 12px; box-shadow: 0 1px 2px rgba(15,23,42,.04), 0 4px 16px rgba(15,23,42,.04); padding: 20px 22px; }
.section-head { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; margin-bottom: 14px; }
.section-head p { margin: 0; color: var(--muted); font-size: 13px; }

.kpis { display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 12px; }
.kpi { background: var(--paper); border: 1px solid var(--line); border-radius: 12px; padding: 14px 16px; box-shadow: 0 4px 16px rgba(15,23,42,.06); }
.kpi .label { font-size: 12px; color: var(--muted); font-weight: 550; }
.kpi .value { font-size: 26px; font-weight: 700; letter-spacing: -0.02em; margin-top: 2px; font-variant-numeric: tabular-nums; }
.kpi .sub { font-size: 12px; color: var(--muted); }
.kpi.alert { border-color: #f9c7c2; background: linear-gradient(180deg, #fff 0%, #fff7f6 100%); }
.kpi.alert .value { color: var(--critical); }

.notice { display: block; border: 1px solid #f6d58b; background: #fffbeb; color: #713f12; border-radius: 10px; padding: 10px 14px; margin-top: 14px; font-size: 13px; }
.notice strong { color: #78350f; }

.sevbar { display: flex; height: 14px; border-radius: 7px; overflow: hidden; background: var(--info-bg); }
.sevbar span { display: block; height: 100%; }
.legend { display: flex; flex-wrap: wrap; gap: 8px 18px; margin-top: 12px; font-size: 13px; color: var(--ink-2); }
.legend .item { display: inline-flex; align-items: center; gap: 7px; }
.swatch { width: 11px; height: 11px; border-radius: 3px; display: inline-block; flex: none; }
.bg-critical { background: var(--critical); } .bg-high { background: var(--high); } .bg-medium { background: var(--medium); }
.bg-low { background: var(--low); } .bg-info { background: var(--info); }
.sevgrid { display: grid; grid-template-columns: 1.3fr 1fr; gap: 26px; align-items: center; }
.kinds { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; }
.kinds div { border-left: 3px solid var(--line); padding-left: 10px; }
.kinds b { display: block; font-size: 20px; font-variant-numeric: tabular-nums; }
.kinds span { color: var(--muted); font-size: 12px; }

.pill { display: inline-block; font-size: 11px; font-weight: 700; letter-spacing: .05em; text-transform: uppercase; padding: 2px 8px; border-radius: 999px; border: 1px solid transparent; white-space: nowrap; }
.pill.critical { color: var(--critical); background: var(--critical-bg); border-color: #fbc9c3; }
.pill.high { color: #b54708; background: var(--high-bg); border-color: #fdd1b0; }
.pill.medium { color: #8a6500; background: var(--medium-bg); border-color: #f3e29a; }
.pill.low { color: #1d5f9c; background: var(--low-bg); border-color: #c6ddf6; }
.pill.info, .pill.skipped { color: #475569; background: var(--info-bg); border-color: #dbe2ea; }
.pill.ran { color: #067647; background: #ecfdf3; border-color: #abefc6; }
.pill.kind { color: #3730a3; background: #eef2ff; border-color: #c7d2fe; }

svg.chart { width: 100%; height: auto; display: block; }
svg .grid { stroke: #edf1f6; stroke-width: 1; }
svg .daymark { stroke: #e2e8f0; stroke-width: 1; stroke-dasharray: 2 3; }
svg .axis { stroke: #94a3b8; stroke-width: 1; }
svg .tick { fill: #64748b; font-size: 11px; font-family: inherit; }
svg .unit { fill: #64748b; font-size: 11px; font-weight: 600; font-family: inherit; }
svg.spark { width: 100%; height: 56px; display: block; border-bottom: 1px solid var(--line); }
.serieslegend { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 6px 24px; margin-top: 10px; font-size: 13px; }
.serieslegend .item { display: flex; align-items: center; gap: 8px; min-width: 0; }
.serieslegend .line { width: 18px; height: 3px; border-radius: 2px; flex: none; }
.serieslegend .name { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.serieslegend .count { margin-left: auto; color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }

table { width: 100%; border-collapse: collapse; font-size: 13px; }
th { text-align: left; font-size: 11.5px; font-weight: 650; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); border-bottom: 1px solid var(--line); padding: 8px 10px; white-space: nowrap; }
td { border-bottom: 1px solid #f0f3f7; padding: 9px 10px; vertical-align: top; }
tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td .sub { color: var(--muted); font-size: 12px; }
.scorecell { display: flex; align-items: center; gap: 8px; justify-content: flex-end; }
.minibar { width: 64px; height: 6px; border-radius: 3px; background: #eef2f6; overflow: hidden; flex: none; }
.minibar span { display: block; height: 100%; border-radius: 3px; }

.finding { border-left: 4px solid var(--info); padding: 0; overflow: hidden; margin-bottom: 18px; }
.finding.critical { --sev: var(--critical); } .finding.high { --sev: var(--high); }
.finding.medium { --sev: var(--medium); } .finding.low { --sev: var(--low); } .finding.info { --sev: var(--info); }
.finding { border-left-color: var(--sev, var(--info)); }
.finding > header { padding: 16px 22px 12px; display: flex; gap: 16px; justify-content: space-between; align-items: flex-start; border-bottom: 1px solid var(--line); }
.finding > header .titles { min-width: 0; }
.finding > header .tags { display: flex; gap: 6px; margin-bottom: 6px; align-items: center; }
.finding > header .subject { color: var(--muted); font-size: 13px; margin-top: 2px; }
.finding .score { text-align: right; flex: none; }
.finding .score b { color: var(--sev, var(--ink)); font-size: 28px; font-weight: 700; letter-spacing: -0.02em; font-variant-numeric: tabular-nums; }
.finding .score span { display: block; font-size: 11px; color: var(--muted); text-transform: uppercase; letter-spacing: .06em; }
.finding .body { display: grid; grid-template-columns: minmax(0, 1.05fr) minmax(0, 1fr); gap: 0; }
.finding .col { padding: 16px 22px; min-width: 0; }
.finding .col + .col { border-left: 1px solid var(--line); background: #fbfcfe; }
.finding .cluster { display: grid; grid-template-columns: minmax(0, 1.05fr) minmax(0, 1fr); gap: 0; border-bottom: 1px solid var(--line); background: #fcfbff; }
.finding .cluster > .block { padding: 16px 22px; margin: 0; min-width: 0; }
.finding .cluster > .block + .block { border-left: 1px solid var(--line); }
.block { margin-bottom: 18px; break-inside: avoid; }
.block:last-child { margin-bottom: 0; }
.why { font-size: 14px; color: var(--ink); margin: 0 0 8px; }
.action { background: #f8fafc; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; font-size: 13px; color: var(--ink-2); }
.stats { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 10px 16px; }
.stats div b { display: block; font-size: 17px; font-variant-numeric: tabular-nums; }
.stats div span { font-size: 12px; color: var(--muted); }
.stats div.time b { font-size: 14px; padding-top: 3px; }

.bars { display: grid; gap: 7px; }
.bar { display: grid; grid-template-columns: minmax(0, 1fr) 150px 52px; gap: 10px; align-items: center; font-size: 13px; }
.bar .name { min-width: 0; }
.bar .name .expl { display: block; color: var(--muted); font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.bar .track { height: 8px; border-radius: 4px; background: #eef2f6; overflow: hidden; }
.bar .track span { display: block; height: 100%; border-radius: 4px; background: var(--accent); }
.bar.off .track span { background: #cbd5e1; }
.bar.off .name { color: var(--muted); }
.bar .val { text-align: right; font-variant-numeric: tabular-nums; color: var(--ink-2); }
.bars.counts .bar { grid-template-columns: minmax(0, 1fr) 120px 64px; }
.bars.counts .track span { background: #64748b; }

.links .bar { grid-template-columns: minmax(0, 1fr) 120px 78px; }
.links .bar .track span { background: #6d28d9; }
.trait { display: inline-block; font-size: 11px; font-weight: 650; color: #5b21b6; background: #f5f3ff; border: 1px solid #ddd6fe; border-radius: 6px; padding: 1px 6px; margin-right: 6px; }
.chips { display: flex; flex-wrap: wrap; gap: 5px; }
.chip { font-family: var(--mono); font-size: 11.5px; background: #f1f5f9; border: 1px solid #e2e8f0; border-radius: 6px; padding: 1px 6px; color: var(--ink-2); }
details { margin-top: 8px; }
details summary { cursor: pointer; color: var(--accent); font-size: 13px; }
details .chips { margin-top: 8px; }

.skeletons td { padding: 7px 8px; }
.skeletons .hash { font-family: var(--mono); font-size: 12px; color: #7c3aed; white-space: nowrap; }
.excerpt { display: block; font-family: var(--mono); font-size: 12px; background: #f8fafc; border: 1px solid #e2e8f0; border-radius: 6px; padding: 5px 8px; margin-top: 4px; white-space: pre-wrap; color: var(--ink-2); }
.muted { color: var(--muted); }
ol.runbook { margin: 0; padding-left: 20px; font-size: 13px; color: var(--ink-2); }
ol.runbook li { margin-bottom: 3px; }

.dq { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 24px; }
.twocol { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 18px; }

footer.wrap { color: var(--muted); font-size: 12px; padding-bottom: 40px; }
footer code { font-size: 11.5px; }

@media (max-width: 900px) {
  .kpis { grid-template-columns: repeat(3, minmax(0, 1fr)); }
  .finding .body, .finding .cluster, .sevgrid, .dq, .twocol { grid-template-columns: minmax(0, 1fr); }
  .finding .cluster > .block + .block { border-left: 0; border-top: 1px solid var(--line); }
  .finding .col + .col { border-left: 0; border-top: 1px solid var(--line); }
  .serieslegend { grid-template-columns: minmax(0, 1fr); }
}
@page { size: A4; margin: 12mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { background: #fff; font-size: 12px; }
  .masthead { padding: 16px 0 18px; }
  main.wrap { margin-top: 14px; }
  .wrap { max-width: none; padding: 0; }
  .card, .kpi { box-shadow: none; }
  .kpis { grid-template-columns: repeat(6, minmax(0, 1fr)); }
  .finding, section.card, .kpi { break-inside: avoid-page; }
  .finding { break-inside: auto; }
  a { color: inherit; }
}
`;
