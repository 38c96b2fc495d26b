// The hashing ceiling: argon2id verifications per second with the service's parameters, using
// every core (argon2 runs on libuv's thread pool, one verification per core). Prints one JSON line.
import * as argon2 from 'argon2';
import { availableParallelism } from 'node:os';

const durationMs = Number(process.argv[2] ?? 5000);
const options = {
  type: argon2.argon2id,
  memoryCost: Number(process.env.ARGON2_MEMORY_KIB ?? 19456),
  timeCost: Number(process.env.ARGON2_TIME_COST ?? 2),
  parallelism: Number(process.env.ARGON2_PARALLELISM ?? 1),
};
const hash = await argon2.hash('correct horse battery staple', options);
// one verification alone: what a single login costs
const alone = [];
for (let i = 0; i < 10; i++) {
  const started = performance.now();
  await argon2.verify(hash, 'correct horse battery staple');
  alone.push(performance.now() - started);
}
alone.sort((a, b) => a - b);
// one verification per core at a time, as the service's hasher runs them (more lanes than cores
// measured lower here: 78-80/s with 4 lanes against 87-89/s with 2 on 2 cores)
const lanes = availableParallelism();
let done = 0;
const single = [];
const end = performance.now() + durationMs;
await Promise.all(
  Array.from({ length: lanes }, async () => {
    while (performance.now() < end) {
      const started = performance.now();
      await argon2.verify(hash, 'correct horse battery staple');
      single.push(performance.now() - started);
      done++;
    }
  }),
);
single.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    perSecond: done / (durationMs / 1000),
    lanes,
    aloneMedianMs: alone[5],
    loadedMedianMs: single[Math.floor(single.length / 2)],
    options,
  }),
);
