import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import type { AuthUser } from '../common/decorators/current-user.decorator.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { AccountsService } from './accounts.service.js';
import { AccountDto } from './dto/account.dto.js';

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
}
