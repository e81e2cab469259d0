import { readFileSync } from 'node:fs';
import { BmpError, BmpFramer, BmpSession } from '../src/index.ts';

const all = new Uint8Array(readFileSync(process.env.HOME + '/.cache/bmpwatch/bench/decode-1-1000000.bmp'));
const bytes = all.subarray(0, 30_000_000);
const offs: number[] = [];
{
  const f = new BmpFramer({ format: 'bmp' });
  f.push(bytes);
  while (f.next() === true) offs.push(f.start, f.end);
}
function run() {
  const s = new BmpSession();
  let c = 0;
  for (let i = 0; i < offs.length; i += 2) {
    const m = s.decode(bytes, offs[i], offs[i + 1]);
    if (!(m instanceof BmpError) && m.type === 'route_monitoring') c += m.update.announced.prefixes.length;
  }
  return c;
}
const times: number[] = [];
for (let i = 0; i < 15; i++) {
  const t = performance.now();
  run();
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const n = offs.length / 2;
console.log(
  `msgs ${n} min ${(((n / times[0]) * 1000) / 1e6).toFixed(3)}M/s median ${(((n / times[7]) * 1000) / 1e6).toFixed(3)}M/s  ns/msg(min) ${((times[0] * 1e6) / n).toFixed(0)}`,
);
