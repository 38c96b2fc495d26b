// Where a request's CPU goes, from Linux /proc: the CPU time the server, PostgreSQL's processes
// (when they run on this machine), this process (the load generator and the mail sink) and the
// whole machine used while a load ran.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString());

/** utime + stime of a process so far, in ms; 0 when it is gone. */
function processMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** CPU time so far of each PostgreSQL process, in ms, by pid. */
function postgresMs() {
  const byPid = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') {
        byPid.set(pid, processMs(pid));
      }
    } catch {
      // gone meanwhile
    }
  }
  return byPid;
}

/** CPU used by PostgreSQL's processes between two readings (a backend that ended is not counted). */
function postgresDelta(before, after) {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}

/** Busy time of all cores so far, in ms (user, nice, system, irq, softirq; not idle, not steal). */
function machineMs() {
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq) * TICK_MS;
}

function snapshot(serverPid) {
  const { user, system } = process.cpuUsage();
  return {
    server: processMs(serverPid),
    postgres: postgresMs(),
    bench: (user + system) / 1000,
    machine: machineMs(),
  };
}

/**
 * Runs `load` (resolving to an autocannon result) and returns it with `cpu`: microseconds of CPU
 * per request of the server `serverPid`, PostgreSQL, this process and the machine.
 */
export async function withCpuPerRequest(serverPid, load) {
  const before = snapshot(serverPid);
  const result = await load();
  const after = snapshot(serverPid);
  const perRequest = (ms) => Math.round((ms * 1000) / Math.max(1, result.requests.total));
  const cpu = {
    server: perRequest(after.server - before.server),
    postgres: perRequest(postgresDelta(before.postgres, after.postgres)),
    bench: perRequest(after.bench - before.bench),
    machine: perRequest(after.machine - before.machine),
  };
  return { ...result, cpu };
}

/** CPU per request as the reports print it: server / PostgreSQL / bench process / machine. */
export const formatCpu = (c) => `${c.server} / ${c.postgres} / ${c.bench} / ${c.machine}`;
