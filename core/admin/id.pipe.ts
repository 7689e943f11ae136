import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { BadInputError } from '../common/errors.js';

/** A numeric route id; anything else is 400 naming the parameter (never 500, never a slug lookup). */
@Injectable()
export class IdPipe implements PipeTransform<unknown, number> {
  transform(value: unknown, meta: ArgumentMetadata): number {
    // the global ValidationPipe (transform: true) may already have turned the string into a number
    const name = meta.data ?? 'id';
    const raw = typeof value === 'number' ? String(value) : value;
    if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw new BadInputError(name, `${name} must be a positive whole number`);
    return Number(raw);
  }
}

/** Order numbers are letters and digits. */
@Injectable()
export class OrderNoPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(value)) throw new BadInputError('orderNo', 'orderNo must be 1-40 letters, digits, hyphens or underscores');
    return value;
  }
}
