import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from './errors.js';

interface FieldProblem {
  field: string;
  reasons: string[];
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) out.push({ field, reasons: Object.values(e.constraints) });
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

export class ValidationFailedError extends DomainError {
  constructor(readonly problems: FieldProblem[]) {
    super(400, 'validation_failed', problems.map((p) => p.reasons.join('; ')).join('; '), problems[0]?.field);
  }
}

/** Whitelist and forbid unknown fields everywhere; the first failing field is named in the error. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(flatten(errors)),
  });
}
