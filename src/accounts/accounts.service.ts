import { Injectable } from '@nestjs/common';
import { AuthUser } from '../common/decorators/current-user.decorator.js';
import { DomainException } from '../common/errors/domain.exception.js';
import { UsersRepository } from '../users/users.repository.js';
import { AccountDto, toAccountDto } from './dto/account.dto.js';

@Injectable()
export class AccountsService {
  constructor(private readonly users: UsersRepository) {}

  async getMe(me: AuthUser): Promise<AccountDto> {
    const user = await this.users.findById(me.userId);
    if (!user) throw new DomainException('UNAUTHORIZED');
    return toAccountDto(user);
  }
}
