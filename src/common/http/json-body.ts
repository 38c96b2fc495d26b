import type { FastifyInstance } from 'fastify';

class BodyError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * The first key that appears twice in one object of a valid JSON text, if any. JSON.parse keeps
 * the last value silently; an API that validates one value and acts on another would be open to
 * confusion attacks, so duplicates are refused.
 */
export function findDuplicateKey(json: string): string | undefined {
  const objects: Array<Set<string> | null> = []; // null for arrays
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let end = i + 1;
      while (json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      const keys = objects.at(-1);
      if (keys && expectKey) {
        const key = JSON.parse(json.slice(i, end + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
        expectKey = false;
      }
      i = end;
    } else if (c === '{') {
      objects.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      objects.push(null);
    } else if (c === '}' || c === ']') {
      objects.pop();
    } else if (c === ',') {
      expectKey = objects.at(-1) != null;
    }
  }
  return undefined;
}

/**
 * Bodies are JSON only: every other content type is 415. JSON is parsed with Fastify's own
 * prototype-poisoning protection, and objects with a duplicated key are refused.
 */
export function acceptJsonOnly(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  const parseSafely = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (request, body, done) => {
      void parseSafely(request, body.toString(), (error: Error | null, value?: unknown) => {
        if (error) return done(error, undefined);
        const duplicate = findDuplicateKey(body as string);
        if (duplicate !== undefined) {
          return done(
            new BodyError(`The key "${duplicate}" appears twice.`, 400, 'DUPLICATE_KEY'),
            undefined,
          );
        }
        done(null, value);
      });
    },
  );
}
