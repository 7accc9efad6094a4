// tsx bench/src/profile-top.ts <file.cpuprofile> [count] [--by-owner]: the frames with the
// most self time in a V8 CPU profile (node --cpu-prof), as a Markdown table, for bench/results.
// --by-owner charges each sample to the nearest frame of our own code on its stack, else to the
// outermost library (BullMQ, undici, kysely...) it ran in: who asked for the time.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
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

/** Self time charged to the owner of each sample (see the file's head), in ms, most first. */
export function ownerTimes(profile: CpuProfile): { frame: string; ms: number }[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const owners = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const known = owners.get(id);
    if (known !== undefined) return known;
    let library: string | undefined;
    let owner: string | undefined;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node === undefined) break;
      const { url } = node.callFrame;
      const inLibrary = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
      if (inLibrary !== undefined) library = inLibrary;
      else if (url.startsWith('file://')) {
        owner = frameName(node);
        break;
      }
    }
    const name = owner ?? (library === undefined ? frameName(byId.get(id)!) : `[${library}]`);
    owners.set(id, name);
    return name;
  };
  const byOwner = new Map<string, number>();
  profile.samples.forEach((nodeId, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0;
    const owner = ownerOf(nodeId);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
  });
  return [...byOwner].map(([frame, us]) => ({ frame, ms: us / 1000 })).sort((a, b) => b.ms - a.ms);
}

const args = process.argv.slice(2);
const [file, count = '10'] = args.filter((arg) => !arg.startsWith('--'));
if (file !== undefined) {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const times = args.includes('--by-owner') ? ownerTimes(profile) : selfTimes(profile);
  const total = times.reduce((sum, { ms }) => sum + ms, 0);
  const busy = times
    .filter(({ frame }) => !frame.startsWith('(idle)'))
    .reduce((sum, { ms }) => sum + ms, 0);
  console.log(
    `${file.replace(/^.*\//, '')}: ${total.toFixed(0)} ms sampled, ${busy.toFixed(0)} ms busy\n`,
  );
  const header = args.includes('--by-owner')
    ? 'ms | % of busy | charged to'
    : 'self ms | % of busy | frame';
  console.log(`| # | ${header} |\n|---|---|---|---|`);
  times
    .filter(({ frame }) => !frame.startsWith('(idle)'))
    .slice(0, Number(count))
    .forEach(({ frame, ms }, i) => {
      console.log(
        `| ${i + 1} | ${ms.toFixed(0)} | ${((ms / busy) * 100).toFixed(1)} % | \`${frame}\` |`,
      );
    });
}
