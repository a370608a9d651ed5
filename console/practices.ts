/** The practices the signed-in account may see, by slug: their names, clocks and phones for every view that shows a request. */
import { api } from './api.js';
import type { ListOf, PracticeRecord } from './types.js';

export type PracticeDirectory = Map<string, PracticeRecord>;

/** `GET /v1/practices`; empty when it fails, so a view still shows slugs and the viewer's clock rather than nothing. */
export async function loadPracticeDirectory(): Promise<PracticeDirectory> {
  const result = await api.get<ListOf<PracticeRecord>>('/v1/practices');
  return new Map(result.ok ? result.value.items.map((p) => [p.slug, p]) : []);
}
