#!/usr/bin/env bash
# Rebuild the dashboard's partial plotly.js bundle from the npm registry (run by hand after a
# plotly upgrade; the page never fetches it at run time). Pin plotly.js here to the version
# that the plotly Python package ships (tests/test_assets.py checks they match).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
vendor="$here/../../assets/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/entry.js" "$here/package.json" "$work/"
cd "$work"
npm install --no-audit --no-fund --ignore-scripts --silent
version="$(node -p "require('plotly.js/package.json').version")"
out="$vendor/plotly-dashboard-$version.min.js"
rm -f "$vendor"/plotly-dashboard-*.min.js
# maplibre's stylesheet (imported by plotly's registry) is for map tiles, which no trace here uses
npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly --target=es2018 \
  --define:global=window --loader:.css=empty --legal-comments=none \
  --banner:js="/* plotly.js (dashboard partial: scatter, bar, pie, choropleth) v$version | MIT */" \
  --outfile="$out"
cp node_modules/plotly.js/LICENSE "$vendor/plotly-dashboard-$version.LICENSE"
echo "wrote $out"
