// Types of scripts/build.js, so TypeScript callers (the size test and benchmarks) import it as it is.
import type { BuildOptions, BuildResult } from 'esbuild';

export function bundleOptions(entry: string, outfile: string): BuildOptions;
export function widgetBuildOptions(outdir: string): BuildOptions;
export function buildWidget(outdir?: string): Promise<BuildResult<{ metafile: true }>>;
export function buildConsole(outdir?: string): Promise<BuildResult>;
export function precompress(file: string): void;
export const WIDGET_ENTRY: string;
export const CONSOLE_ENTRY: string;
export const WIDGET_CHUNKS: string;
export const KEPT_BUILDS: number;
