/**
 * The one error type of configuration: every reader and section builder throws it, so it lives apart from all of
 * them (and `main.ts` reports it as a usage error).
 */
import { ServerError } from '../lib/errors.ts';

export function configError(message: string): ServerError {
  return new ServerError('BMPWATCH_ERR_CONFIG', message);
}
