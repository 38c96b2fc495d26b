import { createOpenApiDocument } from '../src/app.factory.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Every route of the contract and whether it needs a bearer token. */
const CONTRACT: Record<string, 'public' | 'bearer'> = {
  'POST /api/v1/auth/register': 'public',
  'POST /api/v1/auth/verify-email': 'public',
  'POST /api/v1/auth/resend-verification': 'public',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/refresh': 'public',
  'POST /api/v1/auth/logout': 'bearer',
  'POST /api/v1/auth/forgot-password': 'public',
  'POST /api/v1/auth/reset-password/validate': 'public',
  'POST /api/v1/auth/reset-password': 'public',
  'GET /api/v1/accounts/me': 'bearer',
  'PATCH /api/v1/accounts/me': 'bearer',
  'POST /api/v1/accounts/me/password': 'bearer',
  'POST /api/v1/accounts/me/email': 'bearer',
  'POST /api/v1/accounts/email/confirm': 'public',
  'GET /api/v1/accounts/me/sessions': 'bearer',
  'DELETE /api/v1/accounts/me/sessions/{id}': 'bearer',
  'POST /api/v1/accounts/me/delete': 'bearer',
  'POST /api/v1/accounts/delete/confirm': 'public',
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
};

describe('which routes need a bearer token', () => {
  let t: TestApp;
  let routes: Array<{ method: string; path: string; documentedBearer: boolean }>;
  beforeAll(async () => {
    t = await startTestApp();
    const document = createOpenApiDocument(t.app);
    routes = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { security?: unknown[] }>).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        documentedBearer: (op.security ?? []).some((s) => 'bearer' in (s as object)),
      })),
    );
  });
  afterAll(() => t.close());

  it('serves exactly the routes of the contract', () => {
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(Object.keys(CONTRACT).sort());
  });

  it('answers 401 without a token on every bearer route and never 401 on a public one', async () => {
    for (const { method, path } of routes) {
      const url = path.replace('{id}', '00000000-0000-4000-8000-000000000000');
      const res = await t
        .http()
        [method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](url)
        .send({});
      const expected = CONTRACT[`${method} ${path}`];
      if (expected === 'bearer') {
        expect({ route: `${method} ${path}`, status: res.status, code: res.body.code }).toEqual({
          route: `${method} ${path}`,
          status: 401,
          code: 'UNAUTHORIZED',
        });
      } else {
        expect({
          route: `${method} ${path}`,
          unauthorized: res.status === 401 && res.body.code === 'UNAUTHORIZED',
        }).toEqual({ route: `${method} ${path}`, unauthorized: false });
      }
    }
  });

  it('documents the bearer scheme on exactly the bearer routes', () => {
    for (const { method, path, documentedBearer } of routes) {
      expect({ route: `${method} ${path}`, documentedBearer }).toEqual({
        route: `${method} ${path}`,
        documentedBearer: CONTRACT[`${method} ${path}`] === 'bearer',
      });
    }
  });

  it('has no GET route that changes state (mail links are opened by scanners)', () => {
    const gets = routes
      .filter((r) => r.method === 'GET')
      .map((r) => r.path)
      .sort();
    expect(gets).toEqual([
      '/api/v1/accounts/me',
      '/api/v1/accounts/me/sessions',
      '/health/live',
      '/health/ready',
    ]);
  });
});
