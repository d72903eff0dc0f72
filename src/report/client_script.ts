/**
 * The script that runs in the report page: it reads the embedded chart specs (JSON), adds the
 * callbacks JSON cannot carry (tooltip text from each point's `note`, "epoch N" titles, integer
 * epoch ticks) and draws each chart with the embedded Chart.js. A chart that fails is logged to
 * the console and leaves the others drawn. Plain ES2017, no modules: it runs from a file:// page.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('kiln-report-data').textContent);
  function fmt(v) {
    if (v === null || v === undefined || !isFinite(v)) return 'non-finite';
    var a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
    return String(Number(v.toPrecision(4)));
  }
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#333';
  var drawn = 0;
  data.charts.forEach(function (spec) {
    try {
      var cfg = spec.config;
      var plugins = cfg.options.plugins || (cfg.options.plugins = {});
      // Legend in dataset order, whatever the drawing order (event markers are drawn on top).
      if (plugins.legend && plugins.legend.labels) plugins.legend.labels.sort = function (a, b) { return a.datasetIndex - b.datasetIndex; };
      plugins.tooltip = {
        filter: function (item) { return !item.dataset.kilnQuiet; },
        callbacks: {
          title: function (items) {
            if (!items.length) return '';
            var x = items[0].parsed.x;
            if (spec.kind === 'epoch') return Number.isInteger(x) ? 'epoch ' + x : 'during epoch ' + Math.ceil(x);
            if (spec.kind === 'bar') return 'residual ≈ ' + items[0].label;
            return '';
          },
          label: function (ctx) {
            var raw = ctx.raw;
            if (raw && raw.note) return raw.note;
            if (spec.kind === 'xy') return ctx.dataset.label + ': (' + fmt(ctx.parsed.x) + ', ' + fmt(ctx.parsed.y) + ')';
            return ctx.dataset.label + ': ' + fmt(ctx.parsed.y);
          }
        }
      };
      if (spec.kind === 'epoch') {
        var ticks = cfg.options.scales.x.ticks || (cfg.options.scales.x.ticks = {});
        ticks.callback = function (v) { return Number.isInteger(v) ? String(v) : ''; };
      }
      new Chart(document.getElementById(spec.id), cfg);
      drawn++;
    } catch (e) {
      console.error('kiln report: chart ' + spec.id + ' could not be drawn: ' + (e && e.message ? e.message : e));
    }
  });
  document.body.setAttribute('data-charts-drawn', String(drawn));
})();
`;
