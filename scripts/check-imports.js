// Fails `npm test` on any import circle between the project's own files, type-only imports included.
// madge and dpdm need the TypeScript compiler API, which TypeScript 7 does not ship, and esbuild's metafile
// never sees `import type` (esbuild erases it): so this reads the sources itself with a small tokenizer.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folders whose TypeScript is scanned; test/ may import anything, so it is left out. */
export const SOURCE_DIRS = ['shared', 'widget', 'console', 'service', 'demo'];

// Words after which a `/` starts a regular expression rather than a division.
const KEYWORDS_BEFORE_EXPRESSION = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);
const NAME_START = /[\p{ID_Start}$_]/u;
const NAME_PART = /[\p{ID_Continue}$\u200c\u200d]/u;

/**
 * The tokens of a TypeScript source that an import can be made of: names, string literals (`value` without quotes)
 * and single punctuation characters. Comments, the text of template literals and regular expressions are skipped,
 * so an `import` written inside them is never mistaken for one; code inside `${…}` is read like any other.
 */
function tokenize(src) {
  const tokens = [];
  // One entry per open `{`: true when its `}` goes back into a template literal (it was a `${`).
  const braces = [];
  let i = 0;

  /** Reads template text from `i` up to its closing backtick or its next `${`. */
  const templateText = () => {
    while (i < src.length) {
      const c = src[i];
      if (c === '\\') i += 2;
      else if (c === '`') {
        i++;
        tokens.push({ type: 'template' });
        return;
      } else if (c === '$' && src[i + 1] === '{') {
        i += 2;
        braces.push(true);
        return;
      } else i++;
    }
  };

  const regexAllowed = () => {
    const prev = tokens.at(-1);
    if (!prev) return true;
    if (prev.type === 'name') return KEYWORDS_BEFORE_EXPRESSION.has(prev.value);
    if (prev.type === 'punct') return !')]}'.includes(prev.value);
    return false;
  };

  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      i = end === -1 ? src.length : end;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end === -1 ? src.length : end + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      tokens.push({ type: 'string', value: src.slice(i + 1, j) });
      i = j + 1;
    } else if (c === '`') {
      i++;
      templateText();
    } else if (c === '}' && braces.at(-1) === true) {
      braces.pop();
      i++;
      templateText();
    } else if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < src.length && NAME_PART.test(src[j])) j++;
      tokens.push({ type: 'name', value: src.slice(i, j) });
      i = j;
    } else if (/\d/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[\w.]/.test(src[j])) j++;
      tokens.push({ type: 'number' });
      i = j;
    } else if (c === '/' && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== '\n' && (inClass || src[j] !== '/')) {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') inClass = true;
        else if (src[j] === ']') inClass = false;
        j++;
      }
      j++;
      while (j < src.length && /\w/.test(src[j])) j++;
      tokens.push({ type: 'regex' });
      i = j;
    } else {
      if (c === '{') braces.push(false);
      else if (c === '}') braces.pop();
      tokens.push({ type: 'punct', value: c });
      i++;
    }
  }
  return tokens;
}

const isPunct = (token, value) => token?.type === 'punct' && token.value === value;
const isName = (token, value) => token?.type === 'name' && token.value === value;

/** From `start`, skips an import or export clause (`type`, names, `{…}`, `* as x`) and returns the string after its `from`. */
function fromClause(tokens, start) {
  for (let k = start; k < tokens.length; k++) {
    const token = tokens[k];
    if (isName(token, 'from') && tokens[k + 1]?.type === 'string') return tokens[k + 1].value;
    const inClause = token.type === 'name' || (token.type === 'string' && k > start) || (token.type === 'punct' && '{},*'.includes(token.value));
    if (!inClause) return undefined;
  }
  return undefined;
}

/**
 * Every module specifier `source` imports or re-exports, in order: `import … from`, `import type`, side-effect
 * `import '…'`, `export … from`, `export type … from`, and `import('…')` with a literal (a dynamic import or a type).
 */
export function importSpecifiers(source) {
  const tokens = tokenize(source);
  const specifiers = [];
  tokens.forEach((token, k) => {
    if (token.type !== 'name' || isPunct(tokens[k - 1], '.')) return;
    const next = tokens[k + 1];
    if (token.value === 'import') {
      if (isPunct(next, '(')) {
        if (tokens[k + 2]?.type === 'string' && (isPunct(tokens[k + 3], ')') || isPunct(tokens[k + 3], ','))) specifiers.push(tokens[k + 2].value);
      } else if (next?.type === 'string') {
        specifiers.push(next.value);
      } else {
        const from = fromClause(tokens, k + 1);
        if (from !== undefined) specifiers.push(from);
      }
    } else if (token.value === 'export') {
      const clause = isName(next, 'type') ? tokens[k + 2] : next;
      if (isPunct(clause, '{') || isPunct(clause, '*')) {
        const from = fromClause(tokens, k + 1);
        if (from !== undefined) specifiers.push(from);
      }
    }
  });
  return specifiers;
}

const isFile = (path) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;

/** The file a relative specifier names, as TypeScript's bundler resolution finds it (`.js` → `.ts`, a folder → its index.ts); null if none. */
export function resolveSpecifier(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = /\.[cm]?js$/.test(base)
    ? [base.replace(/js$/, 'ts'), base.replace(/\.([cm]?)js$/, '.d.$1ts'), base]
    : [base, `${base}.ts`, `${base}.d.ts`, join(base, 'index.ts')];
  return candidates.find(isFile) ?? null;
}

function* typeScriptFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* typeScriptFiles(path);
    else if (/\.[cm]?ts$/.test(entry.name)) yield path;
  }
}

/**
 * The import graph of the TypeScript under `dirs` of `root`: file → the project files it imports, paths relative
 * to `root` with `/`. Package imports are left out; a relative import that names no file is listed in `unresolved`.
 */
export function importGraph(root, dirs = SOURCE_DIRS) {
  const name = (path) => relative(root, path).split(sep).join('/');
  const graph = new Map();
  const unresolved = [];
  for (const dir of dirs) {
    const folder = join(root, dir);
    if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) continue;
    for (const file of typeScriptFiles(folder)) {
      const targets = new Set();
      for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
        if (!specifier.startsWith('./') && !specifier.startsWith('../')) continue;
        const target = resolveSpecifier(file, specifier);
        if (target) targets.add(name(target));
        else unresolved.push({ file: name(file), specifier });
      }
      graph.set(name(file), [...targets]);
    }
  }
  return { graph, unresolved };
}

/** The strongly connected components of `graph` (Tarjan), each a list of nodes. */
function components(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    index.set(node, index.size);
    low.set(node, index.get(node));
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      found.push(component);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** The shortest way from `start` back to itself through `members`, as a closed chain `[start, …, start]`. */
function shortestCircle(graph, start, members) {
  const cameFrom = new Map();
  let frontier = [start];
  while (frontier.length) {
    const nextFrontier = [];
    for (const node of frontier) {
      for (const next of graph.get(node) ?? []) {
        if (!members.has(next)) continue;
        if (next === start) {
          const chain = [start];
          for (let at = node; at !== start; at = cameFrom.get(at)) chain.unshift(at);
          chain.unshift(start);
          return chain;
        }
        if (!cameFrom.has(next)) {
          cameFrom.set(next, node);
          nextFrontier.push(next);
        }
      }
    }
    frontier = nextFrontier;
  }
  return [start, start];
}

/**
 * The import circles of `graph` (a Map or an object: file → the files it imports), each a closed chain
 * `[a, b, a]` starting at its alphabetically first file. Every file caught in a circle appears in at least one:
 * for each, the shortest circle through it, duplicates dropped.
 */
export function findCycles(graph) {
  const edges = graph instanceof Map ? graph : new Map(Object.entries(graph));
  const circles = new Map();
  for (const component of components(edges)) {
    const members = new Set(component);
    if (component.length === 1 && !(edges.get(component[0]) ?? []).includes(component[0])) continue;
    for (const start of [...members].sort()) {
      const chain = shortestCircle(edges, start, members);
      // The same circle found from another of its files: keyed by its rotation starting at its first file.
      const open = chain.slice(0, -1);
      const first = open.indexOf([...open].sort()[0]);
      const rotated = [...open.slice(first), ...open.slice(0, first)];
      circles.set(rotated.join('\0'), [...rotated, rotated[0]]);
    }
  }
  return [...circles.values()].sort((a, b) => a.join('\0').localeCompare(b.join('\0')));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const { graph, unresolved } = importGraph(root);
  const cycles = findCycles(graph);
  for (const { file, specifier } of unresolved) console.error(`imports: ${file} imports '${specifier}', which names no file`);
  for (const cycle of cycles) console.error(`import circle: ${cycle.join(' → ')}`);
  if (cycles.length || unresolved.length) {
    console.error(`imports: ${graph.size} files, ${cycles.length} circle${cycles.length === 1 ? '' : 's'}, ${unresolved.length} unresolved`);
    process.exit(1);
  }
  console.log(`imports: ${graph.size} files, no circle`);
}
