import { readFileSync } from 'fs';
import { replayTutorial } from './src/replay';
const pub = readFileSync('test/fixtures/seed-training-log.txt', 'utf8').trimEnd().split('\n');
const t0 = Date.now();
const got = replayTutorial();
console.log('ms', Date.now() - t0, got.length, pub.length);
let bad = 0; got.forEach((l, i) => { if (l !== pub[i]) { bad++; if (bad < 6) console.log('GOT', l, '\nPUB', pub[i]); } });
console.log('default mismatches', bad);
const runs = JSON.parse(readFileSync('test/fixtures/tutorial-runs.json', 'utf8')).runs;
for (const r of runs) {
  const g = replayTutorial(r.options); let b = 0;
  g.forEach((l, i) => { if (l !== r.lines[i]) { b++; if (b < 4) console.log('GOT', l, '\nEXP', r.lines[i]); } });
  console.log(JSON.stringify(r.options), 'mismatches', b, g.length, r.lines.length);
}
