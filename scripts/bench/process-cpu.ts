import { readFileSync } from 'node:fs';

/** utime + stime of a child process, from /proc (Linux), in ms; clock ticks are 10 ms, plenty over a round of seconds. */
export function childCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
