export class TokensDto {
  /** JWT to send as `Authorization: Bearer …`. @example "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzaWQiOiIuLi4ifQ.c2ln" */
  accessToken!: string;
  /** Opaque token for POST /auth/refresh; each use returns a new one. @example "Zb0lW5m1c7xq3HkT9eRr2yN6uJ8pA4sD0fG5hK1jL3z" */
  refreshToken!: string;
  /** @example "Bearer" */
  tokenType!: 'Bearer';
  /** Lifetime of the access token in seconds. @example 900 */
  expiresIn!: number;
}
