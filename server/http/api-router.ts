/**
 * @module
 * Declared routes: each route states its method, path, zod schemas for what it reads and
 * what it answers, and a handler that receives the parsed input. The same declarations
 * validate requests and produce `/api/openapi.json`, so the document cannot drift from what
 * the server accepts.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { AppEnv } from './env.ts';
import { ProblemError, validationProblem, type FieldError } from './problem.ts';

/** HTTP methods a route may declare. */
export type RouteMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call a route, as stated in the OpenAPI document. */
export type RouteAccess = 'public' | 'session' | 'pending-session' | 'admin';

/** One documented response of a route. */
export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  /** Response headers that matter to the caller, by name, with a description. */
  headers?: Record<string, string>;
}

/** The declaration of one route. */
export interface RouteSpec {
  method: RouteMethod;
  /** Path below `/api`, in Hono's syntax (`/wallets/:id`). */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  access: RouteAccess;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Request headers that matter, by name, with whether they are required. */
  headers?: Record<string, { description: string; required: boolean }>;
  responses: Record<number, RouteResponse>;
}

type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;

/** What a handler receives besides Hono's context. */
export interface RouteInput<S extends RouteSpec> {
  params: Parsed<S['params']>;
  query: Parsed<S['query']>;
  body: Parsed<S['body']>;
}

/** A handler of a declared route. */
export type RouteHandler<S extends RouteSpec> = (
  c: Context<AppEnv>,
  input: RouteInput<S>,
) => Response | Promise<Response>;

/** Makes the middleware that enforces a route's declared access. */
export type AccessGuard = (access: RouteAccess) => MiddlewareHandler<AppEnv>;

/**
 * Collects route declarations and mounts them on a Hono app, each behind the guard for its
 * declared `access` (so a route cannot forget it) and then request parsing (so an anonymous
 * caller gets 401, not a validation error about a body it may not send).
 */
export class ApiRouter {
  /** Every declared route, in declaration order. */
  readonly routes: RouteSpec[] = [];

  constructor(
    readonly app: Hono<AppEnv>,
    private readonly guard: AccessGuard,
  ) {}

  /** Declares a route and mounts its handler behind its access guard and request parsing. */
  route<const S extends RouteSpec>(spec: S, handler: RouteHandler<S>): void {
    this.routes.push(spec);
    const guard = this.guard(spec.access);
    this.app.on(spec.method.toUpperCase(), spec.path, guard, async function parsedRoute(c) {
      const input = {
        params: spec.params ? parsePart(spec.params, c.req.param(), 'params') : undefined,
        query: spec.query ? parsePart(spec.query, c.req.query(), 'query') : undefined,
        body: spec.body ? parsePart(spec.body, await readJsonBody(c), 'body') : undefined,
      } as RouteInput<S>;
      return handler(c, input);
    });
  }
}

/** Reads a JSON request body; a wrong media type is 415 and unparsable JSON is 400. */
export async function readJsonBody(c: Context<AppEnv>): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new ProblemError(
      415,
      'unsupported-media-type',
      'Unsupported media type.',
      'Send the request body as application/json.',
    );
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new ProblemError(400, 'malformed-json', 'Malformed JSON.', 'The request body is not valid JSON.');
  }
}

/** Parses one part of a request, turning zod's issues into a 400 validation problem. */
export function parsePart<T extends z.ZodType>(schema: T, value: unknown, part: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationProblem(toFieldErrors(result.error, part));
}

/** Zod issues as `{path, message}` pairs with the request part in front of the path. */
export function toFieldErrors(error: z.ZodError, part: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}
