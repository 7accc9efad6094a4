// tsx bench/src/profile-top.ts <file.cpuprofile> [count]: the frames with the most self time
// in a V8 CPU profile (node --cpu-prof), as a Markdown table, for bench/results.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time per frame (function, file and line) in ms, most first. */
export function selfTimes(profile: CpuProfile): { frame: string; ms: number }[] {
  const frameOf = new Map(profile.nodes.map((node) => [node.id, frameName(node)]));
  const byFrame = new Map<string, number>();
  profile.samples.forEach((nodeId, i) => {
    // timeDeltas[i] is the time before sample i; the sample owns the interval that follows it.
    const us = profile.timeDeltas[i + 1] ?? 0;
    const frame = frameOf.get(nodeId) ?? '(unknown)';
    byFrame.set(frame, (byFrame.get(frame) ?? 0) + us);
  });
  return [...byFrame].map(([frame, us]) => ({ frame, ms: us / 1000 })).sort((a, b) => b.ms - a.ms);
}

function frameName({ callFrame: { functionName, url, lineNumber } }: ProfileNode): string {
  const name = functionName === '' ? '(anonymous)' : functionName;
  if (url === '') return name;
  const path = url.startsWith('file://') ? relative(process.cwd(), new URL(url).pathname) : url;
  // node_modules paths are long: the package and file say enough.
  const short = path.replace(/^.*node_modules\//, '');
  return `${name} ${short}:${lineNumber + 1}`;
}

const [file, count = '10'] = process.argv.slice(2);
if (file !== undefined) {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const times = selfTimes(profile);
  const total = times.reduce((sum, { ms }) => sum + ms, 0);
  const busy = times
    .filter(({ frame }) => !frame.startsWith('(idle)'))
    .reduce((sum, { ms }) => sum + ms, 0);
  console.log(
    `${file.replace(/^.*\//, '')}: ${total.toFixed(0)} ms sampled, ${busy.toFixed(0)} ms busy\n`,
  );
  console.log('| # | self ms | % of busy | frame |\n|---|---|---|---|');
  times
    .filter(({ frame }) => !frame.startsWith('(idle)'))
    .slice(0, Number(count))
    .forEach(({ frame, ms }, i) => {
      console.log(
        `| ${i + 1} | ${ms.toFixed(0)} | ${((ms / busy) * 100).toFixed(1)} % | \`${frame}\` |`,
      );
    });
}
