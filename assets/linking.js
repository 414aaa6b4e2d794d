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

// Clicking a line highlights that country in every chart (and in the URL, via the
// highlight-country store). With hovermode "x unified" a click reports every trace at that
// year, so the line clicked is the one nearest to the pointer.
function linking_line_under_pointer(gd, ev) {
  const drag = gd.querySelector(".nsewdrag");
  if (!drag || !ev.event) return null;
  const top = drag.getBoundingClientRect().top;
  const y = ev.event.clientY - top;
  let best = null;
  let bestDistance = 14; // pixels: a click farther from every line selects nothing
  (ev.points || []).forEach(function (pt) {
    if (pt.y === null || pt.y === undefined || !pt.yaxis) return;
    const key = pt.customdata || (pt.data && pt.data.meta);
    if (!key || key.length !== 3 || key.toUpperCase() !== key) return; // countries only
    const distance = Math.abs(pt.yaxis.l2p(pt.y) - y);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = key;
    }
  });
  return best;
}

function linking_attach_click(gd) {
  if (gd.__linkingClick || typeof gd.on !== "function") return;
  gd.__linkingClick = true;
  gd.on("plotly_click", function (ev) {
    if (ev.event && ev.event.detail > 1) return; // part of a double-click (zoom reset)
    const key = linking_line_under_pointer(gd, ev);
    if (!key || !window.dash_clientside || !window.dash_clientside.set_props) return;
    const current = new URLSearchParams(window.location.search).get("hl");
    window.dash_clientside.set_props("highlight-country", { data: key === current ? null : key });
  });
}

new MutationObserver(function () {
  document.querySelectorAll(".chart-graph .js-plotly-plot").forEach(linking_attach_click);
}).observe(document.documentElement, { childList: true, subtree: true });
