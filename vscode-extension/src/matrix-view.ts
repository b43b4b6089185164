// The connectivity-matrix webview: one HTML page drawing the matrix as a table and as a graph, filterable by namespace.
import type { MatrixResult } from '@kubereach/lsp/protocol';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element: no `</script>` or `<!--` can close it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Namespaces of the matrix's nodes, sorted, for the filter. */
export function matrixNamespaces(matrix: MatrixResult): string[] {
  return [...new Set(matrix.nodes.flatMap((n) => (n.namespace === null ? [] : [n.namespace])))].sort();
}

/**
 * The page. The script filters rows to those touching the chosen namespace, fills the table, and
 * lays the nodes out on a circle with one arrow per allowed pair. Scripts run only with the nonce.
 */
export function matrixHtml(matrix: MatrixResult, nonce: string, cspSource: string): string {
  const options = matrixNamespaces(matrix)
    .map((ns) => `<option value="${escapeHtml(ns)}">${escapeHtml(ns)}</option>`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<title>kubereach: connectivity matrix</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
  table { border-collapse: collapse; margin-top: 1em; }
  th, td { border: 1px solid var(--vscode-panel-border, #888); padding: 2px 8px; text-align: left; }
  svg text { fill: var(--vscode-foreground); font-size: 11px; }
  svg line { stroke: var(--vscode-charts-blue, #4a90d9); }
</style>
</head>
<body>
<h2>Connectivity matrix (${matrix.rows.length} allowed ${matrix.rows.length === 1 ? 'pair' : 'pairs'})</h2>
<label>Namespace <select id="namespace"><option value="">all namespaces</option>${options}</select></label>
<svg id="graph" width="720" height="520" role="img" aria-label="connectivity graph"></svg>
<table id="table"><thead><tr><th>source</th><th>destination</th><th>connections</th></tr></thead><tbody></tbody></table>
<script id="matrix-data" type="application/json">${scriptJson(matrix)}</script>
<script nonce="${nonce}">
(function () {
  const matrix = JSON.parse(document.getElementById('matrix-data').textContent);
  const namespaceOf = new Map(matrix.nodes.map((n) => [n.id, n.namespace]));
  const select = document.getElementById('namespace');
  const body = document.querySelector('#table tbody');
  const svg = document.getElementById('graph');
  const SVG = 'http://www.w3.org/2000/svg';
  function element(name, attributes, text) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function render() {
    const ns = select.value;
    const rows = matrix.rows.filter((r) => ns === '' || namespaceOf.get(r.source) === ns || namespaceOf.get(r.destination) === ns);
    body.replaceChildren(...rows.map((r) => {
      const tr = document.createElement('tr');
      for (const text of [r.source, r.destination, r.connections]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.appendChild(td);
      }
      return tr;
    }));
    const ids = matrix.nodes.map((n) => n.id).filter((id) => ns === '' || namespaceOf.get(id) === ns || rows.some((r) => r.source === id || r.destination === id));
    const radius = 200, cx = 360, cy = 260;
    const at = new Map(ids.map((id, k) => [id, { x: cx + radius * Math.cos((2 * Math.PI * k) / Math.max(ids.length, 1)), y: cy + radius * Math.sin((2 * Math.PI * k) / Math.max(ids.length, 1)) }]));
    const defs = element('defs', {});
    const marker = element('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto' });
    marker.appendChild(element('path', { d: 'M 0 0 L 10 5 L 0 10 z' }));
    defs.appendChild(marker);
    const children = [defs];
    for (const r of rows) {
      const a = at.get(r.source), b = at.get(r.destination);
      if (!a || !b) continue;
      const line = element('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, 'marker-end': 'url(#arrow)' });
      line.appendChild(element('title', {}, r.source + ' => ' + r.destination + ': ' + r.connections));
      children.push(line);
    }
    for (const [id, p] of at) {
      children.push(element('circle', { cx: p.x, cy: p.y, r: 4 }));
      children.push(element('text', { x: p.x + 6, y: p.y - 6 }, id));
    }
    svg.replaceChildren(...children);
  }
  select.addEventListener('change', render);
  render();
})();
</script>
</body>
</html>
`;
}
