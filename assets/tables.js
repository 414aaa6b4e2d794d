// The data table of a chart, built when its "Table" is opened: html.Table components made
// from the rows in the chart's table-data store (plain text cells, rendered by React as text).
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  tables: {
    render: function (nClicks, data) {
      // Runs on a click on the table's <details> (opening or closing it: the toggle has
      // happened by now) and when the view's data changes; only an open table is drawn.
      const id = window.dash_clientside.callback_context.outputs_list.id;
      const details = document.getElementById(JSON.stringify({ chart: id.chart, type: "chart-table" }));
      if (!data || !details || !details.open) return null;
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
