import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** The caller of an authenticated request: the account and the session its access token belongs to. */
export interface AuthUser {
  userId: string;
  sessionId: string;
}

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser =>
    ctx.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
