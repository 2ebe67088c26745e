import { CanActivate, ExecutionContext, Injectable, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { forbidden, unauthenticated } from '@tandem/common';
import { Caller, Grant, callerHolds } from './caller';

const GRANTS = 'tandem:grants';

/** Who may call a resolver. A resolver without @Allow is closed to everyone (deny by default). */
export const Allow = (...grants: Grant[]) => SetMetadata(GRANTS, grants);

export interface RequestContext {
  req: { headers: Record<string, string | string[] | undefined>; id?: unknown };
  caller: Caller | null;
}

export function callerFrom(ctx: ExecutionContext): Caller | null {
  return GqlExecutionContext.create(ctx).getContext<RequestContext>().caller;
}

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (ctx.getType<string>() !== 'graphql') return true; // HTTP routes (/health, /metrics) are public
    const caller = callerFrom(ctx);
    if (!caller) throw unauthenticated();
    const grants = this.reflector.getAllAndOverride<Grant[] | undefined>(GRANTS, [ctx.getHandler(), ctx.getClass()]);
    if (!grants || !callerHolds(caller, grants)) throw forbidden();
    return true;
  }
}

/** The authenticated caller of a guarded resolver. */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = callerFrom(ctx);
  if (!caller) throw unauthenticated();
  return caller;
});
