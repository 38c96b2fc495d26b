import { EventEmitter } from 'node:events';
import { PGlite, types } from '@electric-sql/pglite';

type Callback = (err: Error | null, result?: unknown) => void;
type ConnectCallback = (err: Error | null, client: PGlitePool | null, release: () => void) => void;

/** As pg does: JS booleans are sent as SQL booleans (PGlite would send `t`/`f` otherwise only for typed params). */
const serializers = {
  [types.BOOL]: (value: unknown) =>
    value === true || value === 'true' || value === 1
      ? 'TRUE'
      : value === false || value === 'false' || value === 0
        ? 'FALSE'
        : String(value),
};

/**
 * A pg-compatible pool over one embedded PGlite database, for TypeORM's postgres driver.
 *
 * PGlite is a single connection, so the pool lends it to one query runner at a time, like a pg
 * pool of size one: concurrent transactions queue instead of interleaving on the connection.
 * Each pool owns its PGlite instance, so several data sources in one process (tests) stay apart.
 * See docs/adr/0004-embedded-pglite-pool.md for why this replaces typeorm-pglite.
 */
class PGlitePool extends EventEmitter {
  private readonly db: Promise<PGlite>;
  private tail: Promise<void> = Promise.resolve();

  constructor(dataDir: string | undefined) {
    super();
    this.db = PGlite.create({ dataDir, serializers });
  }

  connect(callback: ConnectCallback): void {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => turn);
    let released = false;
    const done = () => {
      if (!released) {
        released = true;
        release();
      }
    };
    previous
      .then(() => this.db)
      .then(
        () => callback(null, this, done),
        (error: Error) => {
          done();
          callback(error, null, done);
        },
      );
  }

  /** The pg client `query`: parameterised statements go through `query`, scripts through `exec`. */
  query(sql: string, params?: unknown[] | Callback, callback?: Callback): Promise<unknown> {
    const cb = typeof params === 'function' ? params : callback;
    const values = Array.isArray(params) ? params : undefined;
    const result = this.db.then(async (db) =>
      values?.length
        ? db.query(sql, values)
        : ((await db.exec(sql)).at(-1) ?? { rows: [], fields: [] }),
    );
    return result.then(
      (r) => {
        cb?.(null, r);
        return r;
      },
      (error: Error) => {
        cb?.(error);
        throw error;
      },
    );
  }

  end(callback?: (err?: Error | null) => void): void {
    this.db
      .then((db) => db.close())
      .then(
        () => callback?.(null),
        (error: Error) => callback?.(error),
      );
  }
}

/** The `driver` option of a TypeORM postgres data source backed by an embedded PGlite. */
export function pgliteDriver(dataDir: string | undefined): unknown {
  return {
    Pool: class extends PGlitePool {
      constructor() {
        super(dataDir);
      }
    },
  };
}
