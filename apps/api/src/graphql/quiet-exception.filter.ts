import { ArgumentsHost, Catch } from '@nestjs/common';
import { GqlExceptionFilter } from '@nestjs/graphql';

/**
 * Hands every resolver error to Apollo untouched: formatGraphqlError maps it to
 * the contract's code and logs only the unexpected ones.
 */
@Catch()
export class QuietExceptionFilter implements GqlExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType<string>() !== 'graphql') throw exception;
    return exception;
  }
}
