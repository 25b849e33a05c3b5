// The what-if widget: looks the market model's precomputed answers up as the reader moves the controls.
// Nothing here computes a figure of the model: every number shown is a string the Python build wrote into the
// page's JSON; the script only finds the grid point of the current positions and draws where it sits.
(function () {
  "use strict";

  function init(data) {
    var p = data.prefix;
    var root = document.getElementById(p + "-root");
    if (!root || root.dataset.ready) return;
    root.dataset.ready = "1";
    // Each segment has its own plan, so its own positions (and its own report values) for every control.
    function seg() { return data.segments[state.segment]; }
    function pos(k) { return seg().positions[k]; }
    var state = { segment: data.default_segment, idx: [] };
    state.idx = data.controls.map(function (c, k) { return pos(k).default_index; });
    var segment = document.getElementById(p + "-segment");
    var sliders = data.controls.map(function (c, k) { return document.getElementById(p + "-c" + k); });

    function flat() {
      var i = 0;
      data.controls.forEach(function (c, k) { i = i * pos(k).shown.length + state.idx[k]; });
      return i;
    }

    // One shell word: a key naming a segment holds spaces and commas ("market.gtm.banks, direct sales.cac_usd").
    function word(s) { return /^[\w.=+-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'"; }

    function command() {
      var parts = [data.command];
      if (state.segment !== data.default_segment && data.segment_param) {
        parts.push("-p " + word(data.segment_param + "=" + seg().name));
      }
      data.controls.forEach(function (c, k) {
        var q = pos(k);
        if (state.idx[k] !== q.default_index) parts.push("-p " + word(q.param_key + "=" + q.param_values[state.idx[k]]));
      });
      return parts.join(" ");
    }

    function chart() {
      var svg = document.getElementById(p + "-chart");
      if (!svg || !data.chart) return;
      var xk = data.chart.x, yk = data.chart.y;
      var xs = pos(xk).shown, ys = pos(yk).shown;
      var probs = data.chart.p[seg().name];
      var W = 360, H = 240, L = 86, B = 44, T = 10, R = 10;
      var cw = (W - L - R) / xs.length, ch = (H - T - B) / ys.length;
      var saved = state.idx.slice();
      var out = [];
      function at(i, j) {
        state.idx[xk] = i; state.idx[yk] = j;
        var v = probs[flat()];
        return v;
      }
      for (var i = 0; i < xs.length; i++) {
        for (var j = 0; j < ys.length; j++) {
          var v = at(i, j);
          var fill = v >= data.chart.threshold
            ? "rgba(26,133,255," + (0.25 + 0.75 * v).toFixed(2) + ")"
            : "rgba(212,17,89," + (0.25 + 0.75 * (1 - v)).toFixed(2) + ")";
          var x = L + i * cw, y = H - B - (j + 1) * ch;
          out.push('<rect x="' + x.toFixed(1) + '" y="' + y.toFixed(1) + '" width="' + cw.toFixed(1) +
            '" height="' + ch.toFixed(1) + '" fill="' + fill + '"><title>' + xs[i] + ", " + ys[j] + ": " +
            (100 * v).toFixed(0) + " %</title></rect>");
        }
      }
      state.idx = saved;
      var cx = L + (state.idx[xk] + 0.5) * cw, cy = H - B - (state.idx[yk] + 0.5) * ch;
      out.push('<circle cx="' + cx.toFixed(1) + '" cy="' + cy.toFixed(1) +
        '" r="7" fill="none" stroke="#111" stroke-width="2.5"/>');
      out.push('<text x="' + (L + (W - L - R) / 2) + '" y="' + (H - 8) + '" text-anchor="middle" font-size="12">' +
        data.controls[xk].label + "</text>");
      out.push('<text x="' + L + '" y="' + (H - B + 14) + '" font-size="10">' + xs[0] + "</text>");
      out.push('<text x="' + (W - R) + '" y="' + (H - B + 14) + '" text-anchor="end" font-size="10">' +
        xs[xs.length - 1] + "</text>");
      out.push('<text x="12" y="' + (T + (H - T - B) / 2) + '" font-size="12" text-anchor="middle" transform="rotate(-90 12 ' +
        (T + (H - T - B) / 2) + ')">' + data.controls[yk].label + "</text>");
      out.push('<text x="' + (L - 4) + '" y="' + (H - B) + '" text-anchor="end" font-size="10">' + ys[0] + "</text>");
      out.push('<text x="' + (L - 4) + '" y="' + (T + 10) + '" text-anchor="end" font-size="10">' + ys[ys.length - 1] +
        "</text>");
      svg.innerHTML = out.join("");
    }

    function update() {
      var i = flat();
      var values = data.values[seg().name];
      data.outputs.forEach(function (o) {
        var el = document.getElementById(p + "-" + o.id);
        if (el) el.textContent = values[o.id][i];
      });
      data.controls.forEach(function (c, k) {
        var label = document.getElementById(p + "-c" + k + "-value");
        var shown = pos(k).shown[state.idx[k]];
        if (label) label.textContent = shown;
        sliders[k].max = String(pos(k).shown.length - 1);
        sliders[k].value = String(state.idx[k]);
        sliders[k].setAttribute("aria-valuetext", shown);
      });
      var cmd = document.getElementById(p + "-command");
      if (cmd) cmd.textContent = command();
      chart();
    }

    if (segment) {
      segment.addEventListener("change", function () {
        state.segment = segment.selectedIndex;
        state.idx = data.controls.map(function (c, k) { return pos(k).default_index; });
        update();
      });
    }
    sliders.forEach(function (s, k) {
      s.addEventListener("input", function () { state.idx[k] = parseInt(s.value, 10); update(); });
    });
    var reset = document.getElementById(p + "-reset");
    if (reset) {
      reset.addEventListener("click", function () {
        state.segment = data.default_segment;
        if (segment) segment.selectedIndex = data.default_segment;
        state.idx = data.controls.map(function (c, k) { return pos(k).default_index; });
        update();
      });
    }
    update();
  }

  function start() {
    var nodes = document.querySelectorAll('script[type="application/json"][data-whatif]');
    for (var n = 0; n < nodes.length; n++) init(JSON.parse(nodes[n].textContent));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
