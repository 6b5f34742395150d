/** A readable, self-contained (offline) HTML page rendered from the OpenAPI document. */
type Operation = { tags?: string[]; summary?: string; description?: string; parameters?: Param[]; requestBody?: unknown; responses?: Record<string, { description: string }> };
type Param = { name: string; in: string; required?: boolean; description?: string; schema?: Record<string, unknown> };
type Doc = { info: { title: string; version: string; description?: string }; paths: Record<string, Record<string, Operation>> };

const escape = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

function typeOf(schema: Record<string, unknown> | undefined): string {
  if (!schema) return '';
  if (Array.isArray(schema.enum)) return schema.enum.join(' | ');
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Record<string, unknown>[]).map(typeOf).join(' or ');
  if (schema.type === 'array') return `${typeOf(schema.items as Record<string, unknown>)}[]`;
  const pattern = typeof schema.pattern === 'string' ? ` (${schema.pattern})` : '';
  return `${String(schema.type ?? 'any')}${pattern}`;
}

/** Renders the API reference as one HTML page. */
export function renderDocsPage(doc: Doc): string {
  const sections = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const params = (op.parameters ?? [])
        .map((p) => `<tr><td><code>${escape(p.name)}</code></td><td>${p.in}</td><td>${p.required ? '是' : ''}</td><td><code>${escape(typeOf(p.schema))}</code></td><td>${escape(p.description ?? '')}</td></tr>`)
        .join('');
      const responses = Object.entries(op.responses ?? {}).map(([s, r]) => `<li><b>${s}</b> ${escape(r.description)}</li>`).join('');
      return `<section><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
        <p>${escape(op.summary ?? '')}</p>${op.description ? `<p class="d">${escape(op.description)}</p>` : ''}
        ${params ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>type</th><th>description</th></tr>${params}</table>` : ''}
        <ul>${responses}</ul></section>`;
    }),
  );
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(doc.info.title)}</title>
<style>body{font:14px/1.5 system-ui,"Noto Sans CJK SC",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1f2933}
section{border-top:1px solid #dde3ea;padding:.6em 0}h3{margin:.2em 0;font-size:15px}table{border-collapse:collapse;margin:.4em 0}
td,th{border:1px solid #dde3ea;padding:2px 8px;text-align:left;vertical-align:top}.m{display:inline-block;min-width:4em;color:#fff;border-radius:3px;padding:0 6px;font-size:12px}
.get{background:#2f6fb3}.post{background:#2f8f5b}.put{background:#b7791f}.delete{background:#c53030}.d{color:#52606d}</style></head>
<body><h1>${escape(doc.info.title)} <small>v${escape(doc.info.version)}</small></h1><p>${escape(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a></p>${sections.join('\n')}</body></html>`;
}
