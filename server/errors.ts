import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type DomainErrorKind } from './domain/errors.ts';

/**
 * A failure that only exists at the HTTP boundary (no or a bad token, a role too low, a body
 * too large, too many requests, no upload). Everything the domain refuses is a DomainError instead.
 */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(status, { message });
  }
}

/**
 * The one place a domain failure gets its status. Invalid input — a query or path parameter, a
 * JSON body that does not parse or match the schema — is 400; well-formed input a domain rule
 * refuses (an unknown category, a line that does not cross the grid, a rejected import file) is 422.
 */
const STATUS: Record<DomainErrorKind, ContentfulStatusCode> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  rule: 422,
};

/** The body every error response carries. */
export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Status and body for a thrown error; null for an unexpected one (a bug: logged, answered 500 by the caller). */
export function errorResponse(err: unknown): { status: ContentfulStatusCode; body: ReturnType<typeof errorBody> } | null {
  if (err instanceof DomainError) return { status: STATUS[err.kind], body: errorBody(err.code, err.message, err.details) };
  if (err instanceof ApiError) return { status: err.status, body: errorBody(err.code, err.message, err.details) };
  if (err instanceof HTTPException) return { status: err.status, body: errorBody(codeForStatus(err.status), err.message) };
  return null;
}

function codeForStatus(status: number): string {
  if (status === 400) return 'bad_request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 413) return 'too_large';
  if (status === 429) return 'rate_limited';
  return 'http_error';
}
