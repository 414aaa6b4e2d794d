// A chart's "Summary" table (first and last value, change, place), drawn in the browser when
// it is opened, from the rows in its summary-data store. Each column header is a button that
// sorts by that column (again: the other way); the state is announced through aria-sort.
// Cells are text nodes, never HTML.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  summary: {
    render: function (nClicks, data) {
      const id = window.dash_clientside.callback_context.outputs_list.id;
      const key = function (type) { return JSON.stringify({ chart: id.chart, type: type }); };
      const details = document.getElementById(key("chart-summary"));
      const body = document.getElementById(key("summary-body"));
      if (!details || !body) return window.dash_clientside.no_update;
      body.__summary = data;
      if (details.open && data) summaryDraw(body, -1, 1);
      return window.dash_clientside.no_update;
    },
  },
});

function summaryCompare(a, b) {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}

function summaryDraw(body, column, direction) {
  const data = body.__summary;
  const numeric = new Set(data.numeric || []);
  const order = data.rows.map(function (_, i) { return i; });
  if (column >= 0) {
    order.sort(function (i, j) {
      const a = data.keys[i][column];
      const b = data.keys[j][column];
      if (a === null || a === undefined || b === null || b === undefined) return summaryCompare(a, b);
      return direction * summaryCompare(a, b);
    });
  }
  const table = document.createElement("table");
  table.className = "data-table summary-table";
  const head = table.createTHead().insertRow();
  data.header.forEach(function (label, i) {
    const th = document.createElement("th");
    th.scope = "col";
    if (numeric.has(i)) th.className = "num";
    th.setAttribute("aria-sort", i === column ? (direction > 0 ? "ascending" : "descending") : "none");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    button.textContent = label;
    button.addEventListener("click", function () {
      summaryDraw(body, i, i === column ? -direction : 1);
      const again = body.querySelectorAll("th button")[i];
      if (again) again.focus();
    });
    th.appendChild(button);
    head.appendChild(th);
  });
  const tbody = table.createTBody();
  order.forEach(function (r) {
    const tr = tbody.insertRow();
    data.rows[r].forEach(function (text, i) {
      const td = tr.insertCell();
      if (numeric.has(i)) td.className = "num";
      td.textContent = text;
    });
  });
  body.replaceChildren(table);
}
