import { Injectable, type PipeTransform } from '@nestjs/common';
import { BadInputError } from '../../../core/common/errors.js';

/** Withdrawal numbers are letters and digits ("W2026…"); anything else is 400 naming the parameter. */
@Injectable()
export class WithdrawalNoPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !/^[A-Za-z0-9]{1,32}$/.test(value)) throw new BadInputError('withdrawalNo', 'withdrawalNo must be 1-32 letters or digits');
    return value;
  }
}
