import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey, hkdfSync, KeyObject } from 'node:crypto';
import { hmac, randomToken } from '../common/crypto.js';
import { AppConfig } from '../config/app-config.js';
import { TokensDto } from './dto/tokens.dto.js';

export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const JWT_ALGORITHM = 'HS256';

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
}

function derive(secret: string, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, '', label, 32));
}

/**
 * Issues the token pair. Access tokens are HS256 JWTs with `typ: at+jwt`; refresh tokens are
 * opaque. The successor of a refresh token is derived from it with a server key, so every
 * concurrent refresh of one token receives the same successor.
 */
@Injectable()
export class TokenService {
  /** A KeyObject: jsonwebtoken would otherwise re-parse a string secret on every call. */
  readonly accessKey: KeyObject;
  private readonly rotationKey: Buffer;

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {
    this.accessKey = createSecretKey(Buffer.from(config.jwt.secret, 'utf8'));
    this.rotationKey = derive(config.jwt.secret, 'refresh-rotation');
  }

  newRefreshToken(): string {
    return randomToken();
  }

  successorOf(refreshToken: string): string {
    return hmac(this.rotationKey, refreshToken);
  }

  pair(userId: string, sessionId: string, refreshToken: string): TokensDto {
    const expiresIn = Math.floor(this.config.jwt.accessTtlMs / 1000);
    const accessToken = this.jwt.sign(
      { sid: sessionId },
      {
        secret: this.accessKey as unknown as string,
        algorithm: JWT_ALGORITHM,
        header: { alg: JWT_ALGORITHM, typ: ACCESS_TOKEN_TYPE },
        subject: userId,
        issuer: this.config.jwt.issuer,
        audience: this.config.jwt.audience,
        expiresIn,
      },
    );
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn };
  }
}
