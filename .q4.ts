import { readFileSync } from 'fs';
import { glibcLog } from './src/glibc-log';
const rd = (f: string) => { const b = readFileSync(f); return new Float64Array(b.buffer, b.byteOffset, b.length / 8); };
const x = rd('/tmp/logx.bin'), y = rd('/tmp/logy.bin');
let bad = 0, badMath = 0;
for (let i = 0; i < x.length; i++) { const v = glibcLog(x[i]); if (!Object.is(v, y[i])) { if (bad < 5) console.log(x[i], v, y[i]); bad++; } if (Math.log(x[i]) !== y[i]) badMath++; }
console.log('glibcLog mismatches', bad, 'Math.log mismatches', badMath, 'of', x.length);
