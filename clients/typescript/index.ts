/**
 * A typed client for SPAs, generated from openapi.json (`npm run client:generate`), on
 * openapi-fetch. `createAccountsClient` adds the bearer token to each request and, on a 401,
 * refreshes the token pair once (concurrent 401s share one refresh) and retries the request.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, paths };
export type Tokens = components['schemas']['TokensDto'];
export type Problem = components['schemas']['ProblemDto'];

/** Where the SPA keeps its tokens (memory, or storage of its choice). */
export interface TokenStore {
  get(): Tokens | undefined;
  set(tokens: Tokens | undefined): void;
}

export function memoryTokenStore(): TokenStore {
  let tokens: Tokens | undefined;
  return { get: () => tokens, set: (value) => (tokens = value) };
}

export function createAccountsClient(baseUrl: string, store: TokenStore = memoryTokenStore()) {
  const client = createClient<paths>({ baseUrl });
  const bare = createClient<paths>({ baseUrl }); // for the refresh itself: no middleware
  let refreshing: Promise<boolean> | undefined;

  /** One refresh at a time; false when the session is over (sign in again). */
  function refresh(): Promise<boolean> {
    refreshing ??= (async () => {
      const refreshToken = store.get()?.refreshToken;
      if (!refreshToken) return false;
      const { data } = await bare.POST('/api/v1/auth/refresh', { body: { refreshToken } });
      store.set(data);
      return Boolean(data);
    })().finally(() => (refreshing = undefined));
    return refreshing;
  }

  /** An unsent copy of each request, since a sent request's body cannot be read again. */
  const copies = new WeakMap<Request, Request>();
  const auth: Middleware = {
    onRequest({ request }) {
      const token = store.get()?.accessToken;
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      copies.set(request, request.clone());
      return request;
    },
    async onResponse({ request, response }) {
      const copy = copies.get(request);
      if (response.status !== 401 || !copy || !store.get()) return response;
      if (!(await refresh())) return response;
      copy.headers.set('Authorization', `Bearer ${store.get()!.accessToken}`);
      return fetch(copy);
    },
  };
  client.use(auth);
  return { api: client, tokens: store, refresh };
}
