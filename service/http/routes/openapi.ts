/** `GET /openapi.json`: the API in OpenAPI 3.1, made once at startup from the declarations of the routes the app serves. */
import type { Hono } from 'hono';
import * as z from 'zod/mini';
import { component, declareRoutes, declaredRoutes } from '../define.js';
import { openApiDocument } from '../openapi-document.js';

/** The document's outline; its paths and components are OpenAPI's own vocabulary. */
const openApiSchema = component(
  'OpenApiDocument',
  z.object({
    openapi: z.literal('3.1.0'),
    info: z.object({ title: z.string(), version: z.string(), description: z.string() }),
    components: z.record(z.string(), z.unknown()),
    paths: z.record(z.string(), z.unknown()),
  }),
);

/** Mount it after every other route of `served`: the document describes what `served` holds at that moment, and this route. */
export function openApiRoutes(served: Pick<Hono, 'routes'>) {
  const { app, route } = declareRoutes();
  // Set below, before the app is returned: the document needs this route declared first.
  let document: ReturnType<typeof openApiDocument> | undefined;
  route({ method: 'get', path: '/openapi.json', summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', schema: openApiSchema } } }, (c) =>
    c.json(document!),
  );
  document = openApiDocument([...declaredRoutes(served), ...declaredRoutes(app)]);
  return app;
}
