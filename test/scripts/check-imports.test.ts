// The import circle check of `npm test`: it reads every kind of import, and finds a circle when there is one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findCycles, importGraph, importSpecifiers } from '../../scripts/check-imports.js';

describe('findCycles', () => {
  it('finds a circle and names it as a closed chain starting at its first file', () => {
    expect(findCycles({ 'c.ts': ['a.ts'], 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'd.ts': ['a.ts'] })).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  it('finds nothing in a graph without a circle, shared imports and all', () => {
    expect(findCycles({ 'a.ts': ['b.ts', 'c.ts'], 'b.ts': ['c.ts'], 'c.ts': [], 'd.ts': ['a.ts', 'c.ts'] })).toEqual([]);
  });

  it('finds a file that imports itself, and each of two separate circles', () => {
    expect(findCycles(new Map([['a.ts', ['a.ts']]]))).toEqual([['a.ts', 'a.ts']]);
    expect(findCycles({ 'a.ts': ['b.ts'], 'b.ts': ['a.ts'], 'x.ts': ['y.ts'], 'y.ts': ['x.ts'] })).toEqual([
      ['a.ts', 'b.ts', 'a.ts'],
      ['x.ts', 'y.ts', 'x.ts'],
    ]);
  });

  it('shows every file of a knot of circles in at least one chain', () => {
    const cycles = findCycles({ 'a.ts': ['b.ts', 'c.ts'], 'b.ts': ['a.ts'], 'c.ts': ['d.ts'], 'd.ts': ['a.ts'] });
    expect(cycles).toEqual([
      ['a.ts', 'b.ts', 'a.ts'],
      ['a.ts', 'c.ts', 'd.ts', 'a.ts'],
    ]);
  });
});

describe('importSpecifiers', () => {
  it('reads value, type-only, side-effect, re-export and dynamic imports, over several lines', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "import './c.js';",
      'import d, {',
      '  e,',
      '  type F,',
      "} from './d.js';",
      "import * as g from './g.js';",
      "export { h } from './h.js';",
      "export type { I } from './i.js';",
      "export * from './j.js';",
      "export type * as k from './k.js';",
      "const l = await import('./l.js');",
      "type M = typeof import('./m.js');",
      "import { from } from './from.js';",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual(['./a.js', './b.js', './c.js', './d.js', './g.js', './h.js', './i.js', './j.js', './k.js', './l.js', './m.js', './from.js']);
  });

  it('ignores imports written in comments, strings, template text and regular expressions', () => {
    const source = [
      "// import { a } from './comment.js';",
      "/* export * from './block.js'; */",
      "const s = \"import x from './string.js'\";",
      "const t = `import y from './template.js' ${f(`export * from './nested.js'`)}`;",
      "const r = /['\"`]/.test(s) ? s.split(/\\//) : [];",
      "const u = import.meta.url;",
      "export const from = 'x';",
      "export { s, t };",
      "const loaded = await import(`./computed-${u}.js`);",
      "import { z } from './after.js';",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual(['./after.js']);
  });

  it('reads code inside a template literal substitution', () => {
    expect(importSpecifiers("const s = `${(await import('./inside.js')).name}`;")).toEqual(['./inside.js']);
  });
});

describe('importGraph', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const write = (files: Record<string, string>) => {
    root = mkdtempSync(join(tmpdir(), 'permanence-imports-'));
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
  };

  it('resolves .js to .ts and a folder to its index.ts, and a type-only circle is a circle', () => {
    write({
      'shared/a.ts': "import type { B } from './b.js';\nexport const a = 1;",
      'shared/b.ts': "import { lib } from 'some-package';\nexport type { A } from './lib';\nexport type B = string;",
      'shared/lib/index.ts': "import type { a } from '../a.js';\nexport type A = typeof a;",
      'test/a.test.ts': "import '../shared/a.js';",
    });
    const { graph, unresolved } = importGraph(root);
    expect(Object.fromEntries(graph)).toEqual({ 'shared/a.ts': ['shared/b.ts'], 'shared/b.ts': ['shared/lib/index.ts'], 'shared/lib/index.ts': ['shared/a.ts'] });
    expect(unresolved).toEqual([]);
    expect(findCycles(graph)).toEqual([['shared/a.ts', 'shared/b.ts', 'shared/lib/index.ts', 'shared/a.ts']]);
  });

  it('lists a relative import that names no file', () => {
    write({ 'widget/a.ts': "import { gone } from './gone.js';" });
    expect(importGraph(root).unresolved).toEqual([{ file: 'widget/a.ts', specifier: './gone.js' }]);
  });
});
