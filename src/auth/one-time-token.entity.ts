import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { User } from '../users/user.entity.js';

export const TOKEN_PURPOSES = [
  'verify_email',
  'reset_password',
  'change_email',
  'delete_account',
] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** A single-use token mailed to a person; only its SHA-256 is kept. */
@Entity('one_time_tokens')
@Index('one_time_tokens_user_purpose_idx', ['userId', 'purpose'])
export class OneTimeToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'enum', enum: TOKEN_PURPOSES, enumName: 'token_purpose' })
  purpose!: TokenPurpose;

  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash!: string;

  /** The address the token was sent to (and, for an email change, the address it confirms). */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
