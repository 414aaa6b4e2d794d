// The timeline's Play control (indicators/web/timeline.py): steps the years one by one through
// the controls a user would move, so each step is an ordinary change of the view (URL, charts,
// exports). On the map, the map's year through the years with data (layout.meta.years of its
// figure); on a chart view, the end of the year range from a few years after its start to the
// end it had. Space or Escape pauses; with prefers-reduced-motion the steps are slower.
(function () {
  const STEP_MS = 1200;
  const REDUCED_STEP_MS = 2500;
  let timer = null;

  function setProps(id, props) {
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(id, props);
    }
  }

  function status(text) {
    const node = document.getElementById("play-status");
    if (node) node.textContent = text;
  }

  function steps(button) {
    if (button.dataset.target === "map") {
      const gd = document.querySelector(".map-graph .js-plotly-plot");
      const years = (gd && gd.layout && gd.layout.meta && gd.layout.meta.years) || [];
      return years.map(function (y) { return { id: "map-year", props: { value: y }, year: y }; });
    }
    const query = new URLSearchParams(window.location.search);
    const from = parseInt(query.get("from") || button.dataset.from, 10);
    const to = parseInt(query.get("to") || button.dataset.to, 10);
    const out = [];
    for (let y = Math.min(to, from + parseInt(button.dataset.span, 10)); y <= to; y += 1) {
      out.push({ id: "year-range", props: { value: [from, y] }, year: y });
    }
    return out;
  }

  function stop(message) {
    if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
    const button = document.getElementById("play-years");
    if (button) {
      button.textContent = "Play years";
      button.setAttribute("aria-pressed", "false");
    }
    if (message) status(message);
  }

  function play(button) {
    const plan = steps(button);
    if (plan.length < 2) {
      status("Only one year to show: nothing to play.");
      return;
    }
    const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    let index = 0;
    button.textContent = "Pause";
    button.setAttribute("aria-pressed", "true");
    const step = function () {
      if (index >= plan.length) {
        stop("Stopped at " + plan[plan.length - 1].year + ".");
        return;
      }
      setProps(plan[index].id, plan[index].props);
      status("Showing " + plan[index].year + ". Space or Escape pauses.");
      index += 1;
    };
    step();
    timer = window.setInterval(step, reduced ? REDUCED_STEP_MS : STEP_MS);
  }

  document.addEventListener("click", function (ev) {
    const button = ev.target && ev.target.closest && ev.target.closest("#play-years");
    if (!button) return;
    if (timer === null) play(button);
    else stop("Paused.");
  });
  document.addEventListener("keydown", function (ev) {
    if (timer === null || (ev.key !== "Escape" && ev.key !== " ")) return;
    if (ev.key === " " && ev.target && ev.target.id === "play-years") return; // its own click
    ev.preventDefault();
    stop("Paused.");
  });
  new MutationObserver(function () {
    if (timer !== null && !document.getElementById("play-years")) stop(); // the view changed
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
