/** The report's stylesheet: a readable single column up to 1280px, charts two to a row. */
export const REPORT_CSS = `
:root { --fg: #1d2433; --muted: #5b6475; --line: #dde1e8; --bg: #f6f7f9; --card: #fff; --accent: #1f77b4; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header { background: #1d2433; color: #fff; padding: 20px 32px 14px; }
header h1 { margin: 0 0 4px; font-size: 24px; font-weight: 650; }
header .subtitle { margin: 0 0 8px; color: #c9d1de; }
header p { margin: 0; }
main { max-width: 1280px; margin: 0 auto; padding: 8px 32px 32px; }
h2 { font-size: 19px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 0 0 6px; }
.status { display: inline-block; padding: 2px 10px; border-radius: 12px; font-size: 13px; font-weight: 600; }
.status-ok { background: #d7f0dc; color: #17612a; }
.status-running { background: #dbe9fb; color: #1b4f91; }
.status-warning { background: #fdecc8; color: #7a4d00; }
.status-error { background: #f8d4d0; color: #8c1d12; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 16px 0 4px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 130px; }
.card-label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card-value { font-size: 18px; font-weight: 600; }
.note { color: var(--muted); margin: 4px 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 16px; margin-top: 10px; }
.chart { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px 10px; }
.canvas-box { position: relative; height: 320px; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 6px; }
.tables { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; margin-top: 8px; }
table { border-collapse: collapse; background: var(--card); border: 1px solid var(--line); font-size: 13px; }
.table-block h3 { font-size: 14px; margin: 0 0 6px; }
.table-block .note { font-size: 12px; }
th, td { border: 1px solid var(--line); padding: 4px 9px; text-align: left; vertical-align: top; }
thead th { background: #eef1f5; }
table.numeric td { text-align: right; font-variant-numeric: tabular-nums; }
tr.avg th, tr.avg td { background: #f3f5f8; }
table.confusion td.cm { text-align: center; min-width: 64px; font-weight: 600; font-variant-numeric: tabular-nums; }
table.confusion td.diag { outline: 2px solid #1d2433; outline-offset: -2px; }
table.confusion .share { display: block; font-size: 11px; font-weight: 400; opacity: .85; }
table.confusion th.corner { font-weight: 500; color: var(--muted); font-size: 12px; }
table.events td.evidence { color: var(--muted); font-size: 12px; max-width: 280px; }
.sev { padding: 1px 7px; border-radius: 9px; font-size: 12px; font-weight: 600; }
.sev-error { background: #f8d4d0; color: #8c1d12; }
.sev-warning { background: #fdecc8; color: #7a4d00; }
.scroll { overflow-x: auto; max-width: 100%; }
pre.summary { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; overflow-x: auto; font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
footer { text-align: center; color: var(--muted); font-size: 12px; padding: 16px; }
`;
