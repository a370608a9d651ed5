// Types of scripts/build-service.js, so TypeScript callers (its test) import it as it is.
import type { BuildOptions, BuildResult } from 'esbuild';

export const SERVICE_OUTDIR: string;
export const SERVICE_ENTRIES: Record<string, string>;
export function serviceBuildOptions(outdir: string): BuildOptions;
export function buildService(outdir?: string): Promise<BuildResult<{ metafile: true }>>;
