import fs from 'node:fs';

/** Kernel clock ticks per second (USER_HZ); 100 on Linux. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time of a process and of its waited-for children (git), in milliseconds, from
 * /proc/<pid>/stat (Linux only; zeros elsewhere).
 */
export function processCpuMs(pid: number): { self: number; children: number } {
  try {
    const fields = fs
      .readFileSync(`/proc/${pid}/stat`, 'utf8')
      .split(') ')[1]
      .split(' ');
    const ms = (i: number) => (Number(fields[i]) * 1000) / TICKS_PER_SECOND;
    return { self: ms(11) + ms(12), children: ms(13) + ms(14) };
  } catch {
    return { self: 0, children: 0 };
  }
}

/**
 * CPU time so far of every process whose command name (`/proc/<pid>/comm`) is `name`, with their
 * waited-for children, in milliseconds: e.g. `postgres`, whose server forks a process per
 * connection and collects the CPU time of those that ended.
 */
export function commandCpuMs(name: string): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc').filter(d => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) {
        const { self, children } = processCpuMs(Number(entry));
        total += self + children;
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}

/** The RabbitMQ server process on this machine, if there is one. */
export function rabbitMqPid(): number | undefined {
  for (const entry of fs.readdirSync('/proc').filter(d => /^\d+$/.test(d))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('beam.smp') && cmdline.includes('rabbit')) {
        return Number(entry);
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

/** Busy and total CPU time of the whole machine so far, in milliseconds (Linux /proc/stat). */
export function machineCpuMs(): { busy: number; total: number } {
  try {
    const fields = fs
      .readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    const idle = fields[3] + fields[4];
    const ms = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;
    return { busy: ms(total - idle), total: ms(total) };
  } catch {
    return { busy: 0, total: 0 };
  }
}
