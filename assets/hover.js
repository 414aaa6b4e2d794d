// Hover on small or touch screens: the shared "x unified" box of every line does not fit a
// phone's chart and covers it, so there each chart shows the nearest point only, and a drag
// no longer zooms: a finger on the chart scrolls the page, and a tap shows the value there.
// Wider charts keep the server's hover and zoom. Adapted again after each new figure from the
// server (Plotly.react replaces the layout object; relayout edits it in place) and on resize.
(function () {
  const NARROW = 640;
  const TOUCH = window.matchMedia("(pointer: coarse)");

  function adapt(gd) {
    if (!window.Plotly || !gd._fullLayout || !gd.layout) return;
    if (gd.layout !== gd.__hoverLayout) {
      gd.__hoverLayout = gd.layout;
      // dcc.Graph may draw again from the layout that relayout edited: that one carries
      // our compact settings, not the server's
      gd.__hoverCompact = gd.layout.hovermode === "closest" && gd.layout.dragmode === false;
      if (!gd.__hoverCompact) {
        gd.__hoverServer = { hovermode: gd.layout.hovermode, dragmode: gd.layout.dragmode || "zoom" };
      }
    }
    const compact = gd.clientWidth < NARROW || TOUCH.matches;
    if (gd.__hoverCompact === compact) return;
    gd.__hoverCompact = compact;
    window.Plotly.relayout(gd, compact ? { hovermode: "closest", dragmode: false } : gd.__hoverServer);
  }

  function scan() {
    document.querySelectorAll(".chart-graph .js-plotly-plot").forEach(adapt);
  }

  let queued = false;
  function schedule() {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(function () {
      queued = false;
      scan();
    });
  }
  new MutationObserver(schedule).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("resize", schedule);
})();
