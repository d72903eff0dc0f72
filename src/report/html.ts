import type { TrainingEvent } from '../callbacks/training_event.js';
import type { ChartSpec } from './charts.js';
import { CLIENT_SCRIPT } from './client_script.js';
import type { ClassifierSection, EvaluationSection } from './evaluation_section.js';
import { formatNumber, formatValue } from './format.js';
import type { PageModel, Table } from './page_model.js';
import { REPORT_CSS } from './style.js';

// The page: one HTML file with its style, its data and Chart.js inline. A Content-Security-Policy
// forbids every fetch, so the page works offline and cannot leak anything when opened.

/** Text for HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Script text safe inside <script>: `</script` would end the element and `<!--` would change how
 * the HTML parser reads it; `\x3C` is `<` in JavaScript strings, regular expressions and templates.
 */
export function escapeScript(js: string): string {
  return js.replace(/<(\/script|!--)/gi, '\\x3C$1');
}

/** JSON safe inside <script type="application/json">: no `<` at all, and no line separators. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function renderHtml(page: PageModel, chartJs: string): string {
  const charts = [...page.trainingCharts, ...(page.evaluation?.charts ?? [])];
  const csp = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kiln report">
<link rel="icon" href="data:,">
<title>${escapeHtml(page.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body data-charts="${charts.length}">
<header>
<h1>${escapeHtml(page.title)}</h1>
<p class="subtitle">${escapeHtml(page.subtitle)}</p>
<p><span class="status status-${page.status.tone}">${escapeHtml(page.status.text)}</span></p>
</header>
<main>
${cards(page.facts)}
<section id="training">
<h2>Training curves</h2>
${notes(page.trainingNotes)}
${chartGrid(page.trainingCharts)}
</section>
${eventsSection(page.events)}
${page.evaluation ? evaluationHtml(page.evaluation) : ''}
${page.summary ? `<section id="model">\n<h2>Model summary</h2>\n<pre class="summary">${escapeHtml(page.summary)}</pre>\n</section>` : ''}
<section id="settings">
<h2>Settings</h2>
<div class="tables">${page.settings.map((t) => tableHtml(t)).join('\n')}</div>
</section>
${page.epochTable ? `<section id="epochs">\n<h2>${escapeHtml(page.epochTable.title)}</h2>\n<div class="scroll">${tableHtml({ ...page.epochTable, title: '' }, 'numeric')}</div>\n</section>` : ''}
</main>
<footer>Made by kiln.report · charts drawn with Chart.js, embedded in this file · opens offline</footer>
<script type="application/json" id="kiln-report-data">${embedJson({ charts })}</script>
<script>${escapeScript(chartJs)}</script>
<script>${escapeScript(CLIENT_SCRIPT)}</script>
</body>
</html>
`;
}

function cards(facts: [string, string][]): string {
  if (facts.length === 0) return '';
  return `<section class="cards">${facts.map(([k, v]) => `<div class="card"><div class="card-label">${escapeHtml(k)}</div><div class="card-value">${escapeHtml(v)}</div></div>`).join('')}</section>`;
}

function notes(lines: string[]): string {
  return lines.map((l) => `<p class="note">${escapeHtml(l)}</p>`).join('\n');
}

function chartGrid(charts: ChartSpec[]): string {
  if (charts.length === 0) return '';
  return `<div class="charts">${charts.map(chartFigure).join('\n')}</div>`;
}

function chartFigure(c: ChartSpec): string {
  return `<figure class="chart"><h3>${escapeHtml(c.title)}</h3><div class="canvas-box"><canvas id="${escapeHtml(c.id)}" role="img" aria-label="${escapeHtml(c.title)}"></canvas></div>${c.caption ? `<figcaption>${escapeHtml(c.caption)}</figcaption>` : ''}</figure>`;
}

function tableHtml(t: Table, cls = ''): string {
  const head = `<thead><tr>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>`;
  const body = `<tbody>${t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody>`;
  return titled(t.title, `<table class="${cls}">${head}${body}</table>`);
}

/** A table under its heading, kept together in the flowing row of tables. */
function titled(title: string, table: string): string {
  return title ? `<div class="table-block"><h3>${escapeHtml(title)}</h3>${table}</div>` : table;
}

function eventsSection(events: TrainingEvent[]): string {
  const body = events.length === 0
    ? '<p class="note">The training-health monitor recorded no events.</p>'
    : `<div class="scroll"><table class="events"><thead><tr><th>kind</th><th>severity</th><th>epoch</th><th>step</th><th>layer</th><th>message</th><th>remedy</th><th>evidence</th></tr></thead><tbody>${events.map(eventRow).join('')}</tbody></table></div>`;
  return `<section id="events">\n<h2>Monitor events</h2>\n${body}\n</section>`;
}

function eventRow(e: TrainingEvent): string {
  const evidence = Object.entries(e.evidence ?? {}).map(([k, v]) => `${k}: ${formatValue(v)}`).join('; ');
  const cells = [
    e.kind,
    `<span class="sev sev-${e.severity === 'error' ? 'error' : 'warning'}">${escapeHtml(e.severity)}</span>`,
    e.epoch >= 0 ? String(e.epoch + 1) : 'before training',
    e.step === null || e.step === undefined ? '—' : String(e.step + 1),
    e.layer ?? '—',
    e.message,
    e.remedy,
    evidence,
  ];
  return `<tr>${cells.map((c, i) => `<td${i === 7 ? ' class="evidence"' : ''}>${i === 1 ? c : escapeHtml(c)}</td>`).join('')}</tr>`;
}

function evaluationHtml(ev: EvaluationSection): string {
  const title = ev.task === 'regression' ? 'Evaluation: regression' : `Evaluation: ${ev.task} classification`;
  const tables = ev.task === 'regression' ? '' : `<div class="tables">${confusionHtml(ev)}${reportHtml(ev)}</div>`;
  return `<section id="evaluation">\n<h2>${title}</h2>\n${cards(ev.headline)}\n${notes(ev.notes)}\n${tables}\n${chartGrid(ev.charts)}\n</section>`;
}

/** The confusion matrix: counts, each cell shaded by its share of the true class (its row). */
function confusionHtml(ev: ClassifierSection): string {
  const names = ev.classNames;
  const head = `<tr><th class="corner">true ↓ · predicted →</th>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr>`;
  const rows = ev.matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    const cells = row.map((v, j) => {
      const share = total > 0 ? v / total : 0;
      const bg = `rgba(31, 119, 180, ${(0.08 + 0.85 * share).toFixed(3)})`;
      const fg = share > 0.5 ? '#fff' : '#111';
      return `<td class="cm${i === j ? ' diag' : ''}" style="background:${bg};color:${fg}" title="${escapeHtml(`true ${names[i]}, predicted ${names[j]}: ${v} (${(share * 100).toFixed(1)}% of true ${names[i]})`)}">${escapeHtml(formatNumber(v))}<span class="share">${(share * 100).toFixed(1)}%</span></td>`;
    });
    return `<tr><th>${escapeHtml(names[i]!)}</th>${cells.join('')}</tr>`;
  });
  return titled('Confusion matrix', `<table class="confusion"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table><p class="note">Shading: the cell's share of its true class (row).</p>`);
}

function reportHtml(ev: ClassifierSection): string {
  const withCurves = ev.report.some((r) => r.auc !== undefined);
  const head = `<tr><th></th><th>precision</th><th>recall</th><th>F1</th><th>support</th>${withCurves ? '<th>ROC AUC</th><th>AP</th>' : ''}</tr>`;
  const num = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(3));
  const rows = ev.report.map((r) => `<tr${r.average ? ' class="avg"' : ''}><th>${escapeHtml(r.name)}</th><td>${num(r.precision)}</td><td>${num(r.recall)}</td><td>${num(r.f1)}</td><td>${escapeHtml(formatNumber(r.support))}</td>${withCurves ? `<td>${r.average ? '' : num(r.auc)}</td><td>${r.average ? '' : num(r.ap)}</td>` : ''}</tr>`);
  const span = withCurves ? 7 : 5;
  const total = ev.report[ev.report.length - 1]?.support ?? 0;
  rows.splice(ev.report.length - 2, 0, `<tr class="avg"><th>accuracy</th><td colspan="2"></td><td>${ev.accuracy.toFixed(3)}</td><td>${escapeHtml(formatNumber(total))}</td>${span > 5 ? '<td colspan="2"></td>' : ''}</tr>`);
  return titled('Precision, recall and F1 per class', `<table class="numeric report"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`);
}
