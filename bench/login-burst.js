// node bench/login-burst.js [N=50]
// Peak memory of the server during N parallel logins, and the time of one login alone: argon2id
// holds ARGON2_MEMORY_KIB per hash, and the hasher bounds how many run at once.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { SMTPServer } from 'smtp-server';
import { freePort } from './free-port.js';
import { BENCH_JWT_SECRET, waitFor } from './load.js';

const N = Number(process.argv[2] ?? 50);
const PASSWORD = 'correct horse battery staple';
const rssMiB = (pid, field) =>
  Number(
    new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1],
  ) / 1024;

let token;
let email;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, done) {
    let text = '';
    stream
      .on('data', (d) => (text += d))
      .on('end', () => {
        if (session.envelope.rcptTo[0]?.address === email) {
          token =
            /verify-email\?token(?:=3D|=)([\w-]{43})/.exec(text.replace(/=\r?\n/g, ''))?.[1] ??
            token;
        }
        done();
      });
  },
});
const smtpPort = await freePort();
await new Promise((r) => smtp.listen(smtpPort, '127.0.0.1', r));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn('node', ['dist/main.js'], {
  env: {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: base,
    DATABASE_URL: process.env.DATABASE_URL ?? 'pglite://memory',
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    JWT_SECRET: BENCH_JWT_SECRET,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_AUTH_PER_IP: '0',
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '0',
  },
  stdio: 'ignore',
});
await waitFor(`${base}/health/ready`);
const post = (path, body) =>
  fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
email = `burst-${Date.now()}@example.test`;
await post('/auth/register', { email, password: PASSWORD });
while (!token) await new Promise((r) => setTimeout(r, 50));
await post('/auth/verify-email', { token });

const alone = [];
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  await post('/auth/login', { email, password: PASSWORD });
  alone.push(performance.now() - t0);
}
alone.sort((a, b) => a - b);
const before = rssMiB(server.pid, 'VmRSS');
const t0 = performance.now();
const statuses = await Promise.all(
  Array.from({ length: N }, () =>
    post('/auth/login', { email, password: PASSWORD }).then((r) => r.status),
  ),
);
const elapsed = performance.now() - t0;
const peak = rssMiB(server.pid, 'VmHWM');
server.kill('SIGTERM');
smtp.close();
console.log(
  JSON.stringify({
    oneLoginMedianMs: Number(alone[5].toFixed(1)),
    parallelLogins: N,
    statuses: Object.fromEntries(
      [...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length]),
    ),
    burstSeconds: Number((elapsed / 1000).toFixed(2)),
    rssBeforeMiB: Math.round(before),
    peakRssMiB: Math.round(peak),
  }),
);
process.exit(0);
