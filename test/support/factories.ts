import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { ERROR_CODES, type ErrorCode } from '../../src/common/errors/error-codes.js';
import { tokenIn } from './mailbox.js';
import type { TestApp } from './test-app.js';

export const API = '/api/v1';

/** A fresh address no other test uses. */
export function anEmail(label = 'user'): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.test`;
}

export const A_PASSWORD = 'correct horse battery staple';

export interface TestUser {
  email: string;
  password: string;
  id?: string;
}

/** Registers an account over the API and, unless `verified: false`, follows the mailed link. */
export async function aUser(
  t: TestApp,
  options: { verified?: boolean; email?: string; password?: string } = {},
): Promise<TestUser> {
  const user = { email: options.email ?? anEmail(), password: options.password ?? A_PASSWORD };
  const before = t.mailbox.to(user.email).length;
  await t.http().post(`${API}/auth/register`).send(user).expect(202);
  const mail = await t.mailbox.waitFor(user.email, before + 1);
  if (options.verified !== false) {
    await t
      .http()
      .post(`${API}/auth/verify-email`)
      .send({ token: tokenIn(mail, '/verify-email') })
      .expect(200);
  }
  return user;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export async function login(t: TestApp, user: TestUser): Promise<Tokens> {
  const res = await t
    .http()
    .post(`${API}/auth/login`)
    .send({ email: user.email, password: user.password })
    .expect(200);
  return res.body as Tokens;
}

/** A verified account and a fresh session of it. */
export async function aLoggedInUser(t: TestApp): Promise<TestUser & Tokens> {
  const user = await aUser(t);
  return { ...user, ...(await login(t, user)) };
}

/** For supertest's `.expect()`: the answer is the problem with this code, and its status. */
export function problem(code: ErrorCode) {
  return (res: Response) => {
    expect({ status: res.status, code: (res.body as { code?: string }).code }).toEqual({
      status: ERROR_CODES[code].status,
      code,
    });
  };
}
