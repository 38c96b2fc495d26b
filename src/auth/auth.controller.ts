import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Client } from '../common/client-info.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import type { AuthUser } from '../common/decorators/current-user.decorator.js';
import { Public } from '../common/decorators/public.decorator.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { MessageDto } from '../common/message.dto.js';
import { AuthService } from './auth.service.js';
import { EmailDto } from './dto/email.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { RefreshDto } from './dto/refresh.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { ResetPasswordDto, TokenValidDto } from './dto/reset-password.dto.js';
import { TokenDto } from './dto/token.dto.js';
import { TokensDto } from './dto/tokens.dto.js';
import { LimitPerIp } from '../rate-limit/limit-per-ip.guard.js';
import type { ClientInfo } from './sessions.repository.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /**
   * Create an account
   *
   * Mails a verification link. The answer is the same whether or not the address already has an
   * account; if it has, its owner is told instead.
   */
  @Public()
  @LimitPerIp()
  @Post('register')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiErrors('VALIDATION_FAILED', 'WEAK_PASSWORD', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED')
  register(@Body() dto: RegisterDto): Promise<MessageDto> {
    return this.auth.register(dto);
  }

  /** Confirm an email address with the token from the verification mail */
  @Public()
  @LimitPerIp()
  @Post('verify-email')
  @HttpCode(HttpStatus.OK)
  @ApiErrors('VALIDATION_FAILED', 'TOKEN_INVALID', 'TOKEN_USED', 'TOKEN_EXPIRED', 'RATE_LIMITED')
  verifyEmail(@Body() dto: TokenDto): Promise<MessageDto> {
    return this.auth.verifyEmail(dto.token);
  }

  /** Send a new verification link; the answer is the same for every address */
  @Public()
  @LimitPerIp()
  @Post('resend-verification')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiErrors('VALIDATION_FAILED', 'RATE_LIMITED')
  resendVerification(@Body() dto: EmailDto): Promise<MessageDto> {
    return this.auth.resendVerification(dto);
  }

  /** Sign in with email and password, receiving an access and a refresh token */
  @Public()
  @LimitPerIp()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiErrors('VALIDATION_FAILED', 'INVALID_CREDENTIALS', 'EMAIL_NOT_VERIFIED', 'RATE_LIMITED')
  login(@Body() dto: LoginDto, @Client() client: ClientInfo): Promise<TokensDto> {
    return this.auth.login(dto, client);
  }

  /**
   * Exchange a refresh token for a new token pair
   *
   * The presented refresh token is retired. Presenting it again after REFRESH_REUSE_GRACE revokes
   * the whole session.
   */
  @Public()
  @LimitPerIp()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiErrors('VALIDATION_FAILED', 'UNAUTHORIZED', 'RATE_LIMITED')
  refreshTokens(@Body() dto: RefreshDto, @Client() client: ClientInfo): Promise<TokensDto> {
    return this.auth.refresh(dto.refreshToken, client);
  }

  /** Ask for a password-reset link; the answer is the same for every address */
  @Public()
  @LimitPerIp()
  @Post('forgot-password')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiErrors('VALIDATION_FAILED', 'RATE_LIMITED')
  forgotPassword(@Body() dto: EmailDto): Promise<MessageDto> {
    return this.auth.forgotPassword(dto);
  }

  /** Check a password-reset token before showing the new-password form; it stays unused */
  @Public()
  @LimitPerIp()
  @Post('reset-password/validate')
  @HttpCode(HttpStatus.OK)
  @ApiErrors('VALIDATION_FAILED', 'TOKEN_INVALID', 'TOKEN_USED', 'TOKEN_EXPIRED', 'RATE_LIMITED')
  validateResetToken(@Body() dto: TokenDto): Promise<TokenValidDto> {
    return this.auth.validateResetToken(dto.token);
  }

  /**
   * Set a new password with the token from the reset mail
   *
   * Every session of the account ends; the person signs in again with the new password.
   */
  @Public()
  @LimitPerIp()
  @Post('reset-password')
  @HttpCode(HttpStatus.OK)
  @ApiErrors(
    'VALIDATION_FAILED',
    'WEAK_PASSWORD',
    'TOKEN_INVALID',
    'TOKEN_USED',
    'TOKEN_EXPIRED',
    'RATE_LIMITED',
  )
  resetPassword(@Body() dto: ResetPasswordDto): Promise<MessageDto> {
    return this.auth.resetPassword(dto);
  }

  /** Sign out: the session of the access token ends at once */
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiErrors('UNAUTHORIZED')
  logout(@CurrentUser() user: AuthUser): Promise<void> {
    return this.auth.logout(user);
  }
}
