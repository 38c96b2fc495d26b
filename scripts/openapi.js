// Writes or checks the committed OpenAPI document (openapi.json) against the built app.
// Usage: node scripts/openapi.js write|check   (run `npm run build` first; the npm scripts do)
import SwaggerParser from '@apidevtools/swagger-parser';
import { readFileSync, writeFileSync } from 'node:fs';
import { createApp, createOpenApiDocument } from '../dist/app.factory.js';
import { AppConfig } from '../dist/config/app-config.js';

const FILE = new URL('../openapi.json', import.meta.url);

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys(value[key])]),
    );
  }
  return value;
}

const mode = process.argv[2];
const config = AppConfig.parse({
  DATABASE_URL: 'pglite://memory',
  LOG_LEVEL: 'silent',
  PUBLIC_URL: 'http://localhost:3000',
});
const app = await createApp(config);
const text = `${JSON.stringify(sortKeys(createOpenApiDocument(app)), null, 2)}\n`;
await app.close();

// the document must be valid OpenAPI 3 (schema and references)
await SwaggerParser.validate(JSON.parse(text));

if (mode === 'write') {
  writeFileSync(FILE, text);
  console.log('openapi.json written');
} else if (mode === 'check') {
  let committed = '';
  try {
    committed = readFileSync(FILE, 'utf8');
  } catch {
    // missing file counts as drift
  }
  if (committed !== text) {
    console.error(
      'openapi.json differs from the code: run `npm run openapi:write` and commit the file',
    );
    process.exit(1);
  }
  console.log('openapi check: openapi.json matches the code');
} else {
  console.error('usage: node scripts/openapi.js write|check');
  process.exit(2);
}
