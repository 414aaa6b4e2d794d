'use strict';
// The dashboard's plotly.js: the "basic" bundle's traces (scatter, bar, pie) plus choropleth
// for the map view. Built by build.sh; the result is committed under assets/vendor/.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/pie'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/calendars'),
]);

module.exports = Plotly;
