// Lines are named by direct labels in a column at the plot's right (layout.meta.labels: its
// width in px). On narrow screens (phones), or where that column would take more than 15% of
// the chart's width, the labels give way to a legend below the plot and the in-figure footer
// is hidden; the same source line and notes are shown as text under each chart instead.
(function () {
  const NARROW = 640;
  const LABEL_SHARE = 0.15;
  function adapt(gd) {
    if (!window.Plotly || !gd._fullLayout || !gd.layout) return;
    if (gd.__relayout) {
      // one relayout at a time: a resize during one (a phone turned, a window dragged) is
      // looked at again once it is done, never interleaved with it
      gd.__again = true;
      return;
    }
    if (gd.layout !== gd.__serverLayout) {
      // A new layout object. Plotly.react replaces it with the server's (drawn wide: only a
      // narrow chart needs a relayout; its title and margins are the ones to adapt from now
      // on). But dcc.Graph may also redraw from the object that relayout edited in place:
      // that one carries meta.compact, and the server's values saved before still stand.
      gd.__serverLayout = gd.layout;
      const ours = gd.layout.meta && gd.layout.meta.compact !== undefined;
      if (!ours || gd.__fullMargin === undefined) {
        gd.__fullTitle = gd.layout.title && gd.layout.title.text;
        gd.__fullMargin = Object.assign({}, gd.layout.margin);
      }
      gd.__compact = ours ? gd.layout.meta.compact : false;
    }
    const labels = (gd.layout.meta && gd.layout.meta.labels) || 0;
    const narrow = gd.clientWidth < NARROW || labels > LABEL_SHARE * gd.clientWidth;
    if (gd.__compact === narrow) return;
    gd.__compact = narrow;
    const annotations = (gd.layout.annotations || []).map(function (a) {
      if (a.name === "source-line" || a.name === "direct-label") {
        return Object.assign({}, a, { visible: !narrow });
      }
      return a;
    });
    const base = gd.__fullMargin;
    const title = gd.__fullTitle;
    const narrowTitle = rewrap(title, Math.max(28, Math.floor((gd.clientWidth - 24) / 7.2)));
    const done = function () {
      gd.__relayout = null;
      if (gd.__again) {
        gd.__again = false;
        adapt(gd);
      }
    };
    gd.__relayout = window.Plotly.relayout(gd, narrow ? {
      "meta.compact": true,
      showlegend: true, "legend.orientation": "h", "legend.x": 0, "legend.y": -0.12, "legend.yanchor": "top",
      "margin.r": gd.layout.yaxis2 ? 52 : 12, "margin.l": 54, "margin.b": 40, annotations: annotations,
      "title.text": narrowTitle.text, "margin.t": base.t + 20 * narrowTitle.extra,
    } : {
      "meta.compact": false,
      showlegend: !labels, "legend.orientation": "v", "legend.x": gd.layout.yaxis2 ? 1.12 : 1.02, "legend.y": 1,
      "legend.yanchor": "top", "margin.r": base.r, "margin.l": base.l, "margin.b": base.b,
      "title.text": title, "margin.t": base.t,
      annotations: annotations,
    }).then(done, done);
  }
  // Re-wrap the subtitle (the part after the first <br>) to fit a narrow chart.
  function rewrap(text, width) {
    const match = text.match(/^(.*?<br>)(<span[^>]*>)(.*)(<\/span>)$/);
    if (!match) return { text: text, extra: 0 };
    const before = match[3].split("<br>").length;
    const words = match[3].replace(/<br>/g, " ").split(/\s+/);
    const lines = [];
    let line = "";
    words.forEach(function (word) {
      if (line && line.length + word.length + 1 > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) lines.push(line);
    return { text: match[1] + match[2] + lines.join("<br>") + match[4],
             extra: Math.max(0, lines.length - before) };
  }

  // A chart drawn while its box was still being laid out (the overview's grid on a phone) keeps
  // that first width: plotly follows window resizes only. Its box is watched instead.
  const boxes = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      const gd = entry.target;
      if (gd._fullLayout && Math.abs(gd.clientWidth - gd._fullLayout.width) > 2) {
        window.Plotly.Plots.resize(gd);
      }
    });
  });

  function scan() {
    document.querySelectorAll(".chart-graph .js-plotly-plot").forEach(function (gd) {
      if (!gd.__watched) {
        gd.__watched = true;
        boxes.observe(gd);
      }
      adapt(gd);
    });
  }
  new MutationObserver(function () { window.requestAnimationFrame(scan); })
    .observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("resize", function () {
    document.querySelectorAll(".chart-graph .js-plotly-plot").forEach(function (gd) {
      gd.__compact = undefined;
    });
    scan();
  });
})();
