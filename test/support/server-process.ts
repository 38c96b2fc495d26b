import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import net from 'node:net';

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The built server (`node dist/main.js`) in its own process, as production runs it. */
export class ServerProcess {
  private child?: ChildProcess;
  output = '';
  url = '';

  constructor(private readonly env: Record<string, string>) {}

  /** Builds dist/ first when it is missing or older than the sources. */
  static buildIfNeeded(): void {
    execFileSync('node', ['scripts/build-if-needed.js'], { stdio: 'ignore' });
  }

  async start(timeoutMs = 30_000): Promise<this> {
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    this.child = spawn('node', ['dist/main.js'], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null)
        throw new Error(`server exited with ${this.child.exitCode}:\n${this.output}`);
      try {
        if ((await fetch(`${this.url}/health/ready`)).ok) return this;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server not ready within ${timeoutMs} ms:\n${this.output}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
