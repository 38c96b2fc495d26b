import { PGliteDriver } from 'typeorm-pglite';
import { PGlitePool } from 'typeorm-pglite/dist/pglite-pool.js';

type ConnectCallback = Parameters<PGlitePool['connect']>[0];

/**
 * PGlite is a single connection. typeorm-pglite hands that connection to every query runner at
 * once, so two concurrent transactions would interleave on it. This pool lends it to one query
 * runner at a time, like a pg pool of size one, which keeps transactions isolated.
 */
class SerialPGlitePool extends PGlitePool {
  private tail: Promise<void> = Promise.resolve();

  override connect(callback: ConnectCallback): Promise<void> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => turn);
    return previous.then(() =>
      super.connect((err, client) => {
        let released = false;
        const done = () => {
          if (!released) {
            released = true;
            release();
          }
        };
        if (err) done();
        callback(err, client, done);
      }),
    );
  }
}

/** The `driver` option of a TypeORM postgres data source backed by an embedded PGlite. */
export function pgliteDriver(dataDir: string | undefined): unknown {
  new PGliteDriver(dataDir ? { dataDir } : {}); // stores the PGlite options for the shared instance
  return { Pool: SerialPGlitePool };
}
