// dcc.Markdown loads highlight.js (38 kB compressed) for code blocks unless window.hljs exists.
// The dashboard's Markdown (the data tables) never has code blocks, so a no-op stands in.
window.hljs = window.hljs || { highlightElement: function () {} };
