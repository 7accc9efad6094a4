// tsx bench/src/profile-top.ts <file.cpuprofile> [n]: the top self-time frames of a V8 CPU
// profile (`node --cpu-prof`), and the same time summed by file, for bench/results notes.
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A frame's place, shortened to the package and file (`undici/lib/…`, `lifecycle/src/…`). */
function where(url: string): string {
  if (url === '') return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules !== -1) return path.slice(modules + 'node_modules/'.length);
  const ours = /\/(packages|services|bench)\/(.*)$/.exec(path);
  return ours === null ? path : `${ours[1] ?? ''}/${ours[2] ?? ''}`;
}

const [file, count = '25'] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: profile-top <file.cpuprofile> [n]');
  process.exit(2);
}
const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
let totalUs = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  totalUs += delta;
});
const frames = new Map<string, number>();
const files = new Map<string, number>();
for (const [id, us] of selfUs) {
  const frame = byId.get(id)?.callFrame;
  if (frame === undefined) continue;
  const place = where(frame.url);
  const name = `${frame.functionName || '(anonymous)'} ${place}:${String(frame.lineNumber + 1)}`;
  frames.set(name, (frames.get(name) ?? 0) + us);
  const fileName = place.replace(/:\d+$/, '');
  files.set(fileName, (files.get(fileName) ?? 0) + us);
}
const share = (us: number) => `${((us / totalUs) * 100).toFixed(1).padStart(5)} %`;
const top = (map: Map<string, number>) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(count))
    .map(([name, us]) => `| ${share(us)} | ${(us / 1000).toFixed(0)} ms | ${name} |`);
console.log(`total ${(totalUs / 1000).toFixed(0)} ms sampled\n`);
console.log('| self | ms | frame |\n|---|---|---|');
console.log(top(frames).join('\n'));
console.log('\n| self | ms | file |\n|---|---|---|');
console.log(top(files).join('\n'));
