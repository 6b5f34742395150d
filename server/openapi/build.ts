/**
 * OpenAPI 3.1 document generated from the same zod schemas the routes validate with, so the
 * contract can't drift from the code. Each route module exports its `RouteDoc`s.
 */
import { z } from 'zod';

export type RouteDoc = {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path, e.g. `/api/issues/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  query?: z.ZodObject;
  params?: z.ZodObject;
  body?: z.ZodType;
  /** Raw (non-JSON) request body media type, e.g. for file uploads. */
  rawBody?: string;
  responses: Record<number, string>;
  /** Response media type when it isn't JSON (CSV, SSE). */
  produces?: string;
};

type JsonSchema = Record<string, unknown>;

function schemaOf(type: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(type, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return schema;
}

function parameters(where: 'query' | 'path', object: z.ZodObject | undefined) {
  if (!object) return [];
  return Object.entries(object.shape).map(([name, type]) => {
    const t = type as z.ZodType;
    const schema = schemaOf(t);
    return {
      name,
      in: where,
      required: where === 'path' || !t.safeParse(undefined).success,
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
      schema,
    };
  });
}

/** Builds the OpenAPI document for the given routes. */
export function buildOpenApi(version: string, docs: readonly RouteDoc[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const d of docs) {
    const responses = Object.fromEntries(
      Object.entries(d.responses).map(([status, description]) => [
        status,
        Number(status) < 300
          ? { description, content: { [d.produces ?? 'application/json']: {} } }
          : { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      ]),
    );
    const body = d.body
      ? { required: true, content: { 'application/json': { schema: schemaOf(d.body) } } }
      : d.rawBody
        ? { required: true, content: { [d.rawBody]: { schema: { type: 'string', format: 'binary' } } } }
        : undefined;
    (paths[d.path] ??= {})[d.method] = {
      tags: [d.tag],
      summary: d.summary,
      ...(d.description ? { description: d.description } : {}),
      parameters: [...parameters('path', d.params), ...parameters('query', d.query)],
      ...(body ? { requestBody: body } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'civgrid API · 城市文明网格态势平台',
      version,
      description: 'KPIs, maps, issues and live feed of the civilized-city grid dashboard. Errors are {"error":{"code","message","details"}}.',
    },
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
        },
      },
    },
  };
}
