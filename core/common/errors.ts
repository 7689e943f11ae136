/**
 * Domain errors carry the HTTP status, a stable machine code, a message, and the offending field
 * when there is one. The global filter turns them into `{ statusCode, code, message, field }`.
 */
export class DomainError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class BadInputError extends DomainError {
  constructor(field: string, message: string, code = 'invalid_input') {
    super(400, code, message, field);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string | number, field?: string) {
    super(404, `${what}_not_found`, `${what.replace(/_/g, ' ')} ${id} not found`, field);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, field?: string) {
    super(409, code, message, field);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'Sign in first', code = 'unauthorized') {
    super(401, code, message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string, code = 'forbidden') {
    super(403, code, message);
  }
}
