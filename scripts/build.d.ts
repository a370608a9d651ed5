// Types of scripts/build.js, so TypeScript callers (the size test and benchmarks) import it as it is.
import type { BuildOptions } from 'esbuild';

export function bundleOptions(entry: string, outfile: string): BuildOptions;
export const WIDGET_ENTRY: string;
export const CONSOLE_ENTRY: string;
