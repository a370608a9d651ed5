/** Reading a JSON request body at the edge: size, content type and syntax, each with its own status. */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiProblem } from '../errors.js';

/** Refuses bodies over `maxSize` bytes with 413, even when no Content-Length was sent. */
export function jsonBodyLimit(maxSize: number): MiddlewareHandler {
  const tooLarge = () => {
    throw new ApiProblem(413, 'payload_too_large', `The request body is larger than ${maxSize} bytes`);
  };
  const counted = bodyLimit({ maxSize, onError: tooLarge });
  return async function jsonBodyLimitHandler(c, next) {
    const length = c.req.header('Content-Length');
    // Only Content-Length present - we can trust it: Node's parser reads exactly that many bytes. Hono's
    // bodyLimit would open the body as a web stream first, which costs more than the rest of an intake.
    if (length !== undefined && c.req.header('Transfer-Encoding') === undefined) {
      if (!/^\d+$/.test(length) || Number(length) > maxSize) tooLarge();
      return next();
    }
    return counted(c, next);
  };
}

/** Parses the body as JSON: 415 for another content type, 400 for bad JSON or a non-object. */
export async function readJson(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header('Content-Type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiProblem(415, 'unsupported_media_type', 'Send the body as application/json');
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new ApiProblem(400, 'invalid_json', 'The body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiProblem(400, 'invalid_json', 'The body must be a JSON object');
  }
  return body as Record<string, unknown>;
}
