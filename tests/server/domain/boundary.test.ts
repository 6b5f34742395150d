/**
 * The kernel's import boundary: (a) the web takes values from the server only through
 * server/domain/ (type-only imports of the server's route types stay allowed), and (b)
 * server/domain/ imports nothing outside itself, so it stays pure and bundles into the browser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * Packages the kernel may import types from: they hold declarations only, so a type import of
 * them adds no code and no dependency to the kernel.
 */
const TYPE_ONLY_PACKAGES = new Set(['geojson']);

/** One import or re-export of a file. */
type ImportRef = { specifier: string; typeOnly: boolean; line: number };

/** The script of a file: a .vue file's `<script>` blocks, anything else as it is. */
function scriptOf(path: string, text: string): string {
  if (!path.endsWith('.vue')) return text;
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** Every `import … from`, `export … from`, side-effect import and `import()` of a script. */
function importsOf(path: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(path, scriptOf(path, text), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: ImportRef[] = [];
  const add = (spec: ts.Expression, typeOnly: boolean) => {
    if (!ts.isStringLiteral(spec)) return;
    out.push({ specifier: spec.text, typeOnly, line: source.getLineAndCharacterOfPosition(spec.getStart()).line + 1 });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : null;
      // `import { type A, type B }` brings in types only; a default or namespace binding is a value.
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : null;
      add(node.moduleSpecifier, node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0]) {
      add(node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const inside = (path: string, folder: string) => path === folder || path.startsWith(folder + sep);

/**
 * The imports of `files` (paths relative to `root`) that break the boundary, each as
 * `file:line imports "specifier": reason`.
 */
function boundaryViolations(root: string, files: readonly { path: string; text: string }[]): string[] {
  const server = join(root, 'server');
  const domain = join(server, 'domain');
  const web = join(root, 'web');
  const out: string[] = [];
  for (const file of files) {
    const abs = resolve(root, file.path);
    const inWeb = inside(abs, web);
    const inDomain = inside(abs, domain);
    if (!inWeb && !inDomain) continue;
    for (const ref of importsOf(file.path, file.text)) {
      const relativeRef = ref.specifier.startsWith('.');
      const target = relativeRef ? resolve(dirname(abs), ref.specifier) : null;
      const where = `${relative(root, abs)}:${ref.line} imports "${ref.specifier}"`;
      if (inWeb && target && inside(target, server) && !inside(target, domain) && !ref.typeOnly) {
        out.push(`${where}: the web takes values from the server only through server/domain/ (or use \`import type\`)`);
      }
      if (inDomain) {
        if (target && !inside(target, domain)) out.push(`${where}: server/domain/ imports nothing outside itself`);
        else if (!target && !(ref.typeOnly && TYPE_ONLY_PACKAGES.has(ref.specifier))) {
          out.push(`${where}: server/domain/ imports no package or Node module (only types from ${[...TYPE_ONLY_PACKAGES].join(', ')})`);
        }
      }
    }
  }
  return out;
}

/** Every .ts and .vue file below a folder of the repository. */
function sourcesBelow(folder: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (/\.(ts|vue)$/.test(entry.name)) out.push({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') });
    }
  };
  walk(join(ROOT, folder));
  return out;
}

describe('the import boundary of the domain kernel', () => {
  it('holds for every file of web/ and server/domain/', () => {
    const files = [...sourcesBelow('web'), ...sourcesBelow('server/domain')];
    expect(files.filter((f) => f.path.startsWith(`server${sep}domain`)).length).toBeGreaterThan(5);
    expect(files.filter((f) => f.path.endsWith('.vue')).length).toBeGreaterThan(10);
    expect(boundaryViolations(ROOT, files)).toEqual([]);
  });

  it('catches a web file taking a value from outside the kernel, and lets type-only imports pass', () => {
    const text = [
      "import { transformGeometry } from '../../server/spatial/map-geometry';",
      "import type { AppType } from '../../server/app';",
      "import { type PlanSummary } from '../../server/plan/metrics';",
      "export type { ScreenConfig } from '../../server/routes/screen-config';",
      "import { shanghaiDate } from '../../server/domain/time';",
      "export * from '../../server/kpi/score';",
      "const lazy = () => import('../../server/queries/stats');",
    ].join('\n');
    expect(boundaryViolations(ROOT, [{ path: 'web/map/sample.ts', text }])).toEqual([
      'web/map/sample.ts:1 imports "../../server/spatial/map-geometry": the web takes values from the server only through server/domain/ (or use `import type`)',
      'web/map/sample.ts:6 imports "../../server/kpi/score": the web takes values from the server only through server/domain/ (or use `import type`)',
      'web/map/sample.ts:7 imports "../../server/queries/stats": the web takes values from the server only through server/domain/ (or use `import type`)',
    ]);
  });

  it('reads the script of a .vue file', () => {
    const text = "<template><div /></template>\n<script setup lang=\"ts\">\nimport { hitTest } from '../../server/spatial/point-in-polygon';\n</script>";
    expect(boundaryViolations(ROOT, [{ path: 'web/map/Sample.vue', text }])).toHaveLength(1);
  });

  it('catches the kernel importing anything outside itself', () => {
    const text = [
      "import { z } from 'zod';",
      "import { readFileSync } from 'node:fs';",
      "import type { Database } from '../db/database.ts';",
      "import type { Polygon } from 'geojson';",
      "import { DAY } from './time.ts';",
    ].join('\n');
    expect(boundaryViolations(ROOT, [{ path: 'server/domain/sample.ts', text }])).toEqual([
      'server/domain/sample.ts:1 imports "zod": server/domain/ imports no package or Node module (only types from geojson)',
      'server/domain/sample.ts:2 imports "node:fs": server/domain/ imports no package or Node module (only types from geojson)',
      'server/domain/sample.ts:3 imports "../db/database.ts": server/domain/ imports nothing outside itself',
    ]);
  });
});
