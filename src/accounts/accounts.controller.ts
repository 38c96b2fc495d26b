import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import type { AuthUser } from '../common/decorators/current-user.decorator.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { MessageDto } from '../common/message.dto.js';
import { AccountsService } from './accounts.service.js';
import { AccountDto } from './dto/account.dto.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { SessionDto } from './dto/session.dto.js';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /** The caller's own profile */
  @Get('me')
  @ApiErrors('UNAUTHORIZED')
  getMe(@CurrentUser() me: AuthUser): Promise<AccountDto> {
    return this.accounts.getMe(me);
  }

  /**
   * Change the password
   *
   * Needs the current password. Every other session of the account ends at once; this one stays.
   */
  @Post('me/password')
  @HttpCode(HttpStatus.OK)
  @ApiErrors('VALIDATION_FAILED', 'INVALID_PASSWORD', 'WEAK_PASSWORD', 'UNAUTHORIZED')
  changePassword(@CurrentUser() me: AuthUser, @Body() dto: ChangePasswordDto): Promise<MessageDto> {
    return this.accounts.changePassword(me, dto);
  }

  /** The account's signed-in sessions; `current` marks the caller's */
  @Get('me/sessions')
  @ApiErrors('UNAUTHORIZED')
  listSessions(@CurrentUser() me: AuthUser): Promise<SessionDto[]> {
    return this.accounts.listSessions(me);
  }

  /** End one session of the account: its tokens are refused from the next request on */
  @Delete('me/sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiErrors('UNAUTHORIZED', 'NOT_FOUND')
  revokeSession(@CurrentUser() me: AuthUser, @Param('id') id: string): Promise<void> {
    return this.accounts.revokeSession(me, id);
  }
}
