// Linked hover across the charts of a view, entirely in the browser (no server round trip):
// hovering a year in one chart draws a crosshair at that year in every chart and shows each
// chart's values for it.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  linking: {
    crosshair: function (hoverDatas) {
      const trig = (window.dash_clientside.callback_context.triggered || [])[0];
      if (!trig || !trig.value || !trig.value.points || !trig.value.points.length) {
        return window.dash_clientside.no_update;
      }
      const x = trig.value.points[0].x;
      const source = JSON.parse(trig.prop_id.split(".")[0]).chart;
      const state = window.__linking || (window.__linking = { x: null });
      if (state.x === x && state.source !== source) {
        return window.dash_clientside.no_update; // echo of our own programmatic hover
      }
      state.x = x;
      state.source = source;
      document.querySelectorAll(".chart-graph").forEach(function (container) {
        const gd = container.querySelector(".js-plotly-plot");
        if (!gd || !gd._fullLayout || !gd._fullLayout.xaxis) return;
        linking_draw(container, gd, x);
        const id = JSON.parse(container.id).chart;
        if (id !== source && window.Plotly && window.Plotly.Fx) {
          try { window.Plotly.Fx.hover(gd, { xval: x }, "xy"); } catch (e) { /* no point there */ }
        }
        if (!container.__linkingLeave) {
          container.__linkingLeave = true;
          container.addEventListener("mouseleave", linking_clear);
        }
      });
      return x;
    },
  },
});

function linking_draw(container, gd, x) {
  const fl = gd._fullLayout;
  const px = fl.xaxis.l2p(x) + fl._size.l;
  let line = container.querySelector(".crosshair");
  if (!line) {
    line = document.createElement("div");
    line.className = "crosshair";
    line.setAttribute("aria-hidden", "true");
    container.style.position = "relative";
    container.appendChild(line);
  }
  line.style.left = px + "px";
  line.style.top = fl._size.t + "px";
  line.style.height = fl._size.h + "px";
  line.style.display = px >= fl._size.l && px <= fl._size.l + fl._size.w ? "block" : "none";
}

function linking_clear() {
  if (window.__linking) window.__linking.x = null;
  document.querySelectorAll(".chart-graph").forEach(function (container) {
    const line = container.querySelector(".crosshair");
    if (line) line.style.display = "none";
    const gd = container.querySelector(".js-plotly-plot");
    if (gd && window.Plotly && window.Plotly.Fx) window.Plotly.Fx.unhover(gd);
  });
}
