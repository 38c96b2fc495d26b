import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import type { AuthUser } from '../common/decorators/current-user.decorator.js';
import { Public } from '../common/decorators/public.decorator.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { TokenDto } from '../auth/dto/token.dto.js';
import { LimitPerIp } from '../rate-limit/limit-per-ip.guard.js';
import { MessageDto } from '../common/message.dto.js';
import { AccountsService } from './accounts.service.js';
import { AccountDto } from './dto/account.dto.js';
import { ChangeEmailDto } from './dto/change-email.dto.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { DeleteAccountDto } from './dto/delete-account.dto.js';
import { UpdateAccountDto } from './dto/update-account.dto.js';
import { SessionDto } from './dto/session.dto.js';

@ApiTags('accounts')
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /** The caller's own profile */
  @Get('me')
  @ApiBearerAuth()
  @ApiErrors('UNAUTHORIZED')
  getMe(@CurrentUser() me: AuthUser): AccountDto {
    return this.accounts.getMe(me);
  }

  /** Edit the profile: only `displayName`; any other field is refused */
  @Patch('me')
  @ApiBearerAuth()
  @ApiErrors('VALIDATION_FAILED', 'UNAUTHORIZED')
  updateMe(@CurrentUser() me: AuthUser, @Body() dto: UpdateAccountDto): Promise<AccountDto> {
    return this.accounts.updateMe(me, dto);
  }

  /**
   * Change the password
   *
   * Needs the current password. Every other session of the account ends at once; this one stays.
   */
  @Post('me/password')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.OK)
  @ApiErrors('VALIDATION_FAILED', 'INVALID_PASSWORD', 'WEAK_PASSWORD', 'UNAUTHORIZED')
  changePassword(@CurrentUser() me: AuthUser, @Body() dto: ChangePasswordDto): Promise<MessageDto> {
    return this.accounts.changePassword(me, dto);
  }

  /** The account's signed-in sessions; `current` marks the caller's */
  @Get('me/sessions')
  @ApiBearerAuth()
  @ApiErrors('UNAUTHORIZED')
  listSessions(@CurrentUser() me: AuthUser): Promise<SessionDto[]> {
    return this.accounts.listSessions(me);
  }

  /** End one session of the account: its tokens are refused from the next request on */
  @Delete('me/sessions/:id')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiErrors('UNAUTHORIZED', 'NOT_FOUND')
  revokeSession(@CurrentUser() me: AuthUser, @Param('id') id: string): Promise<void> {
    return this.accounts.revokeSession(me, id);
  }

  /**
   * Change the email address
   *
   * Needs the password. A confirmation link goes to the new address and a notice to the current
   * one; the current address stays in force until the link is confirmed.
   */
  @Post('me/email')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiErrors('VALIDATION_FAILED', 'INVALID_PASSWORD', 'EMAIL_TAKEN', 'UNAUTHORIZED', 'RATE_LIMITED')
  requestEmailChange(
    @CurrentUser() me: AuthUser,
    @Body() dto: ChangeEmailDto,
  ): Promise<MessageDto> {
    return this.accounts.requestEmailChange(me, dto);
  }

  /** Confirm an email change with the token from the mail sent to the new address */
  @Public()
  @LimitPerIp()
  @Post('email/confirm')
  @HttpCode(HttpStatus.OK)
  @ApiErrors(
    'VALIDATION_FAILED',
    'TOKEN_INVALID',
    'TOKEN_USED',
    'TOKEN_EXPIRED',
    'EMAIL_TAKEN',
    'RATE_LIMITED',
  )
  confirmEmailChange(@Body() dto: TokenDto): Promise<MessageDto> {
    return this.accounts.confirmEmailChange(dto.token);
  }

  /** Ask to delete the account: needs the password; a confirmation link is mailed */
  @Post('me/delete')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiErrors('VALIDATION_FAILED', 'INVALID_PASSWORD', 'UNAUTHORIZED', 'RATE_LIMITED')
  requestAccountDeletion(
    @CurrentUser() me: AuthUser,
    @Body() dto: DeleteAccountDto,
  ): Promise<MessageDto> {
    return this.accounts.requestDeletion(me, dto);
  }

  /** Delete the account for good with the token from the confirmation mail */
  @Public()
  @LimitPerIp()
  @Post('delete/confirm')
  @HttpCode(HttpStatus.OK)
  @ApiErrors('VALIDATION_FAILED', 'TOKEN_INVALID', 'TOKEN_USED', 'TOKEN_EXPIRED', 'RATE_LIMITED')
  confirmAccountDeletion(@Body() dto: TokenDto): Promise<MessageDto> {
    return this.accounts.confirmDeletion(dto.token);
  }
}
