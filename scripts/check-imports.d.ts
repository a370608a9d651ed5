// Types of scripts/check-imports.js, so its test imports it as it is.

export const SOURCE_DIRS: string[];
export function importSpecifiers(source: string): string[];
export function resolveSpecifier(fromFile: string, specifier: string): string | null;
export function importGraph(root: string, dirs?: string[]): { graph: Map<string, string[]>; unresolved: { file: string; specifier: string }[] };
export function findCycles(graph: Map<string, Iterable<string>> | Record<string, string[]>): string[][];
