/**
 * The script of the HTML report page (plain browser JavaScript, run after uPlot is loaded): it
 * turns the embedded data (html-data.ts) into uPlot charts. When done it sets
 * `document.body.dataset.plots` to the number of charts drawn, which the browser test waits for.
 */
export const PLOT_SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('mcsim-data').textContent);
  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
  var alpha = function (hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  };
  var drawn = 0;
  // One colour per variant across every plot of a section, so a curve is recognised at a glance.
  var colorOf = function (sec, name) {
    var i = sec.variants.indexOf(name.split(', ')[0]);
    return COLORS[(i < 0 ? 0 : i) % COLORS.length];
  };
  var size = { width: 460, height: 300 };

  function cdf(el, plot, sec) {
    // uPlot's aligned data needs one x array: the union of every variant's points.
    var xs = [];
    plot.series.forEach(function (s) { s.x.forEach(function (x) { if (xs.indexOf(x) < 0) xs.push(x); }); });
    xs.sort(function (a, b) { return a - b; });
    var ys = plot.series.map(function (s) {
      return xs.map(function (x) {
        var best = null;
        s.x.forEach(function (sx, i) { if (sx === x && (best === null || s.p[i] > best)) best = s.p[i]; });
        return best;
      });
    });
    var series = [{ label: 'ms' }].concat(plot.series.map(function (s, i) {
      return { label: s.variant, stroke: colorOf(sec, s.variant), width: 2, spanGaps: true, points: { show: true, size: 5 } };
    }));
    // One dashed line pair per KPI (same limit for every variant), its verdicts in the label.
    var kpis = [];
    plot.kpis.forEach(function (k) {
      var key = k.id + '|' + k.percentile + '|' + k.limit_ms;
      var g = kpis.filter(function (x) { return x.key === key; })[0];
      if (!g) kpis.push(g = { key: key, id: k.id, percentile: k.percentile, limit_ms: k.limit_ms, failed: [] });
      if (!k.pass) g.failed.push(k.variant);
    });
    var xmax = xs[xs.length - 1];
    var xmin = xs[0];
    // A limit within twice the data's range is drawn on the axis; a far one only named in the label.
    kpis.forEach(function (k) { if (k.limit_ms <= xmin + 2 * (xmax - xmin)) xmax = Math.max(xmax, k.limit_ms * 1.03); });
    var opts = {
      title: plot.metric + ' (CDF)', width: size.width, height: size.height, series: series,
      legend: { live: false },
      scales: { x: { time: false, range: [xmin - 0.03 * (xmax - xmin), xmax] }, y: { range: [0, 1] } },
      axes: [{ label: 'latency (ms)' }, { label: 'fraction of samples ≤ x' }],
      hooks: { draw: [function (u) {
        var ctx = u.ctx;
        ctx.save();
        ctx.setLineDash([6, 4]);
        ctx.lineWidth = 1.5;
        kpis.forEach(function (k, i) {
          var x = u.valToPos(k.limit_ms, 'x', true);
          var y = u.valToPos(k.percentile / 100, 'y', true);
          var onAxis = x <= u.bbox.left + u.bbox.width;
          ctx.strokeStyle = k.failed.length === 0 ? '#555' : '#c62828';
          ctx.beginPath();
          if (onAxis) { ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); }
          ctx.moveTo(u.bbox.left, y); ctx.lineTo(u.bbox.left + u.bbox.width, y);
          ctx.stroke();
          ctx.fillStyle = ctx.strokeStyle;
          ctx.font = (11 * devicePixelRatio) + 'px sans-serif';
          ctx.textAlign = 'left';
          ctx.textBaseline = 'alphabetic';
          var text = k.id + ': p' + k.percentile + ' ≤ ' + k.limit_ms + ' ms' + (onAxis ? '' : ' (limit off scale →)') + (k.failed.length === 0 ? ', all pass' : ', FAILS: ' + k.failed.join(', '));
          ctx.fillText(text, u.bbox.left + 6 * devicePixelRatio, y + (14 + i * 14) * devicePixelRatio);
        });
        ctx.restore();
      }] },
    };
    new uPlot(opts, [xs].concat(ys), el);
  }

  function sweep(el, plot, sec) {
    var series = [{ label: plot.xLabel, value: plot.xTicks ? function (u, v) { return v === null ? '' : plot.xTicks[v]; } : undefined }];
    var cols = [plot.x];
    var bands = [];
    plot.series.forEach(function (s, i) {
      var c = colorOf(sec, s.label);
      var mean = series.length;
      series.push({ label: s.label + ' mean', stroke: c, width: 2, spanGaps: true, points: { show: true, size: 5 } });
      series.push({ label: 'ci95 high', stroke: alpha(c, 0.35), width: 1, spanGaps: true, points: { show: false } });
      series.push({ label: 'ci95 low', stroke: alpha(c, 0.35), width: 1, spanGaps: true, points: { show: false } });
      cols.push(s.mean, s.hi, s.lo);
      bands.push({ series: [mean + 1, mean + 2], fill: alpha(c, 0.18) });
    });
    var xAxis = { label: plot.xLabel };
    if (plot.xTicks) {
      xAxis.values = function (u, vals) { return vals.map(function (v) { return Number.isInteger(v) ? plot.xTicks[v] : ''; }); };
    }
    var opts = {
      title: plot.metric + ': mean with 95% CI', width: size.width + 120, height: size.height + 40,
      series: series, bands: bands, scales: { x: { time: false } }, legend: { live: false },
      axes: [xAxis, { label: plot.metric + ' (ms)' }],
    };
    new uPlot(opts, cols, el);
  }

  data.forEach(function (sec) {
    sec.cdfs.forEach(function (p, j) { cdf(document.getElementById('cdf-' + sec.index + '-' + j), p, sec); drawn++; });
    sec.sweeps.forEach(function (p, j) { sweep(document.getElementById('sweep-' + sec.index + '-' + j), p, sec); drawn++; });
  });
  document.body.dataset.plots = String(drawn);
})();
`;
