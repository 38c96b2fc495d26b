import { Module } from '@nestjs/common';
import { UsersRepository } from './users.repository.js';

/** The account store shared by the auth and accounts features. */
@Module({ providers: [UsersRepository], exports: [UsersRepository] })
export class UsersModule {}
