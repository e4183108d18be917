import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Problem } from '../../common/problem.ts';
import { ImportRejected } from '../domains/imports/import-error.ts';

/** Domain errors services throw; mapped once, here, to problem+json. */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    message: string,
    readonly errors?: { path: string; message: string }[],
  ) {
    super(message);
  }
}
export class NotFound extends DomainError {
  constructor(what: string) {
    super(404, 'TRELLIS_NOT_FOUND', 'Not found', `${what} was not found`);
  }
}
export class Forbidden extends DomainError {
  constructor(message: string) {
    super(403, 'TRELLIS_FORBIDDEN', 'Forbidden', message);
  }
}
export class Unauthenticated extends DomainError {
  constructor(message = 'sign in first') {
    super(401, 'TRELLIS_SIGN_IN_REQUIRED', 'Sign-in required', message);
  }
}
export class CsrfRejected extends DomainError {
  constructor() {
    super(403, 'TRELLIS_CSRF', 'Request not verified', 'send the x-csrf-token header your session gave you (GET /api/v1/auth/me)');
  }
}
export class TooManyAttempts extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'TRELLIS_TOO_MANY_ATTEMPTS', 'Too many attempts', message);
  }
}
export class Conflict extends DomainError {
  constructor(message: string) {
    super(409, 'TRELLIS_CONFLICT', 'Conflict', message);
  }
}
export class Invalid extends DomainError {
  constructor(path: string, message: string) {
    super(400, 'TRELLIS_INVALID', 'Invalid request', `${path}: ${message}`, [{ path, message }]);
  }
}

const problemType = (code: string) => `https://trellis.invalid/problems/${code.toLowerCase().replace(/_/g, '-')}`;

function send(reply: import('fastify').FastifyReply, p: Omit<Problem, 'type'>) {
  return reply
    .code(p.status)
    .type('application/problem+json')
    .send({ type: problemType(p.code), ...p });
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setNotFoundHandler((req, reply) =>
    send(reply, { status: 404, code: 'TRELLIS_NOT_FOUND', title: 'Not found', detail: `No route for ${req.method} ${req.url.split('?')[0]}` }),
  );
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((v) => {
        const path = [error.validationContext, ...(v.instancePath ? v.instancePath.split('/').filter(Boolean) : [])].join('.');
        return { path, message: v.message ?? 'invalid value' };
      });
      return send(reply, {
        status: 400,
        code: 'TRELLIS_INVALID',
        title: 'Invalid request',
        detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '),
        errors,
      });
    }
    if (error instanceof DomainError) {
      if (error instanceof TooManyAttempts) reply.header('retry-after', String(error.retryAfterSeconds));
      return send(reply, {
        status: error.status,
        code: error.code,
        title: error.title,
        detail: error.message,
        ...(error.errors ? { errors: error.errors } : {}),
      });
    }
    if (error instanceof ImportRejected) {
      return send(reply, {
        status: 422,
        code: 'TRELLIS_IMPORT_REJECTED',
        title: 'Import refused',
        detail: error.message,
        errors: error.problems.map((p) => ({ path: [p.row !== undefined ? `row ${p.row}` : '', p.column ?? ''].filter(Boolean).join('.'), message: `${p.message}. Fix: ${p.fix}` })),
      });
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) req.log.error({ err: error }, 'unhandled error');
    return send(reply, {
      status,
      code: status === 500 ? 'TRELLIS_INTERNAL' : (error.code ?? 'TRELLIS_BAD_REQUEST'),
      title: status === 500 ? 'Internal error' : 'Bad request',
      detail: status === 500 ? 'Something went wrong on our side; the error has been logged.' : error.message,
    });
  });
}
