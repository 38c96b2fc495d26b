import { Writable } from 'node:stream';
import { API, A_PASSWORD, anEmail } from './support/factories.js';
import { startTestApp } from './support/test-app.js';

// Alone in its file: nestjs-pino keeps its application logger process-wide, so the log lines of
// an app are captured reliably only when it is the first app of the test process.
describe('rate limits when Redis is unreachable', () => {
  it('falls back to in-process counters, logging it, when Redis cannot be reached: never no limit', async () => {
    const lines: string[] = [];
    const capture = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const t = await startTestApp(
      { REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_AUTH_PER_IP: '3', LOG_LEVEL: 'error' },
      undefined,
      capture,
    );
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        const res = await t
          .http()
          .post(`${API}/auth/login`)
          .send({ email: anEmail(), password: A_PASSWORD });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const deadline = Date.now() + 5_000;
      while (!lines.join('').includes('Redis unreachable') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const errors = lines
        .map((l) => JSON.parse(l) as { level: number; msg: string })
        .filter((l) => l.level >= 50);
      expect(errors.map((e) => e.msg)).toEqual([
        expect.stringMatching(/^Redis unreachable, using in-process rate limits/),
      ]);
    } finally {
      await t.close();
    }
  });
});
