import { API, aLoggedInUser, anEmail, A_PASSWORD } from './support/factories.js';
import { scratchDatabase, type ScratchDatabase } from './support/databases.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { onPostgres, startTestApp, type TestApp } from './support/test-app.js';

/** PostgreSQL only: the embedded database cannot go away. */
(onPostgres ? describe : describe.skip)('PostgreSQL going away and coming back', () => {
  let database: ScratchDatabase;
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    database = await scratchDatabase();
    const url = new URL(database.url);
    proxy = await new TcpProxy(url.hostname, Number(url.port || 5432)).start();
    url.host = `127.0.0.1:${proxy.port}`;
    t = await startTestApp({ DATABASE_URL: url.toString() });
  });
  afterAll(async () => {
    await t.close();
    await proxy.stop();
    await database.drop();
  });

  it('fails fast with a generic 503 while it is down, and recovers by itself', async () => {
    const user = await aLoggedInUser(t);
    await t.http().get('/health/ready').expect(200);

    await proxy.cut();
    const started = Date.now();
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(503);
    const me = await t.http().get(`${API}/accounts/me`).auth(user.accessToken, { type: 'bearer' });
    expect(me.status).toBe(503); // never 200: the session cannot be checked
    expect(me.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    expect(me.text).not.toMatch(/ECONNREFUSED|QueryFailedError|at .*\.ts:\d+|node_modules/);
    const email = anEmail('outage');
    const register = await t
      .http()
      .post(`${API}/auth/register`)
      .send({ email, password: A_PASSWORD });
    expect(register.status).toBe(503);
    const loginRes = await t
      .http()
      .post(`${API}/auth/login`)
      .send({ email: user.email, password: user.password });
    expect(loginRes.status).toBe(503);
    await t.http().get('/health/live').expect(200);
    expect(Date.now() - started).toBeLessThan(10_000);

    await proxy.start(); // same port
    const deadline = Date.now() + 30_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await t.http().get('/health/ready')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    await t.http().get(`${API}/accounts/me`).auth(user.accessToken, { type: 'bearer' }).expect(200);
    // nothing of the refused registration was half-applied
    expect(await t.db.query(`SELECT 1 FROM users WHERE email = $1`, [email])).toHaveLength(0);
    await t.http().post(`${API}/auth/register`).send({ email, password: A_PASSWORD }).expect(202);
    await t.mailbox.waitFor(email);
  });
});
