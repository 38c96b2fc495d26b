import { Injectable, OnModuleInit } from '@nestjs/common';
import * as argon2 from 'argon2';
import { availableParallelism } from 'node:os';
import { AppConfig } from '../config/app-config.js';

/** At most this many argon2 computations at once: each holds ARGON2_MEMORY_KIB of memory. */
class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/** argon2id hashing with the configured cost, bounded concurrency, and a constant-time miss path. */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private readonly options: argon2.HashOptions & { raw?: false };
  private readonly slots = new Semaphore(Math.max(1, availableParallelism()));
  /** A hash with the configured cost, made at start-up so that the first miss costs no extra hash. */
  private dummyHash!: Promise<string>;

  constructor(config: AppConfig) {
    this.options = { type: argon2.argon2id, ...config.password.argon2 };
  }

  onModuleInit(): void {
    this.dummyHash = this.hash('a password nobody has');
  }

  hash(password: string): Promise<string> {
    return this.slots.run(() => argon2.hash(password, this.options));
  }

  async verify(stored: string, password: string): Promise<boolean> {
    try {
      return await this.slots.run(() => argon2.verify(stored, password));
    } catch {
      return false; // a malformed stored hash never matches
    }
  }

  /** Spends the same work as a real check, for an account that does not exist. Always false. */
  async verifyNothing(password: string): Promise<false> {
    await this.verify(await this.dummyHash, password);
    return false;
  }

  /** True when the hash was made with weaker parameters than the configured ones. */
  needsRehash(stored: string): boolean {
    try {
      return argon2.needsRehash(stored, this.options);
    } catch {
      return true;
    }
  }
}
