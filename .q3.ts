import { readFileSync } from 'fs';
import { NumpyRandomState } from './src/numpy-random';
for (const s of [0,1,42,12345]) {
  const b = readFileSync(`/tmp/g${s}.bin`); const g = new Float64Array(b.buffer, b.byteOffset, b.length/8);
  const r = new NumpyRandomState(s); let bad = 0;
  const t0 = Date.now();
  for (let i = 0; i < g.length; i++) { const v = r.normal(); if (v !== g[i]) { if (bad < 5) console.log(s, i, v, g[i]); bad++; } }
  console.log('seed', s, 'mismatches', bad, 'of', g.length, Date.now()-t0, 'ms');
}
