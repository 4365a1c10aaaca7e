/** A column value the event format cannot read (a text form it does not know); the task fails with it. */
import { CodedError } from '../../../diag/coded-error.js';

export class EventFormatError extends CodedError<'PIPECTL_PG_VALUE'> {
  constructor(message: string) {
    super('PIPECTL_PG_VALUE', message);
  }
}
