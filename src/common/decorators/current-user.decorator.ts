import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { User } from '../../users/user.entity.js';

/** The caller of an authenticated request: the account and the session its access token belongs to. */
export interface AuthUser {
  userId: string;
  sessionId: string;
  /** The account as read with the session check, when the request was authenticated. */
  account: User;
}

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser =>
    ctx.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
