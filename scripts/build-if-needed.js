// `npm start` builds first when dist/ is missing or older than the sources.
import { execSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

let built = 0;
try {
  built = statSync('dist/main.js').mtimeMs;
} catch {
  // not built yet
}
const sources = Math.max(
  newest('src'),
  statSync('package.json').mtimeMs,
  statSync('tsconfig.json').mtimeMs,
);
if (built < sources) {
  console.log('building…');
  execSync('npm run build', { stdio: 'inherit' });
}
