// The data table of a chart, built when its "Table" is opened: html.Table components made
// from the rows in the chart's table-data store (plain text cells, rendered by React as text).
// The rows come only while the table is open (indicators/web/opened.py): `opened.report`
// tells the server when a table or summary is opened or closed, and the server then sends
// the rows of the view shown.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  opened: {
    report: function () {
      // Runs on a click on a table's or summary's <details> (the toggle has happened by
      // now); clicks inside an open one (a cell, a sort button) change nothing.
      const id = window.dash_clientside.callback_context.outputs_list.id;
      const kind = id.type.replace(/-open$/, "");
      const details = document.getElementById(JSON.stringify({ chart: id.chart, type: "chart-" + kind }));
      const was = details && details.dataset.drawnOpen === "1";
      if (!details || details.open === was) return window.dash_clientside.no_update;
      details.dataset.drawnOpen = details.open ? "1" : "";
      return details.open;
    },
  },
  tables: {
    render: function (isOpen, data) {
      // Opened or closed: empty until the rows of the view shown arrive, then drawn.
      const context = window.dash_clientside.callback_context;
      const byRows = (context.triggered || []).some(function (t) { return /table-data/.test(t.prop_id); });
      if (!byRows) return null;
      const id = context.outputs_list.id;
      const details = document.getElementById(JSON.stringify({ chart: id.chart, type: "chart-table" }));
      if (!data || !details || !details.open) return window.dash_clientside.no_update;
      const H = "dash_html_components";
      const cell = function (tag, text, numeric) {
        return { type: tag, namespace: H, props: { children: text, className: numeric ? "num" : undefined } };
      };
      const numeric = new Set(data.numeric || []);
      const head = {
        type: "Thead", namespace: H,
        props: { children: { type: "Tr", namespace: H, props: { children: data.header.map(function (h, i) { return cell("Th", h, numeric.has(i)); }) } } },
      };
      const body = {
        type: "Tbody", namespace: H,
        props: {
          children: data.rows.map(function (row) {
            return { type: "Tr", namespace: H, props: { children: row.map(function (v, i) { return cell("Td", v, numeric.has(i)); }) } };
          }),
        },
      };
      return { type: "Table", namespace: H, props: { className: "data-table", children: [head, body] } };
    },
  },
});
