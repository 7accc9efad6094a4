/** One sample line of the Prometheus text exposition format. */
export interface PrometheusSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface ParsedExposition {
  readonly samples: readonly PrometheusSample[];
  /** `# TYPE` per metric family. */
  readonly types: ReadonlyMap<string, string>;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
// Go's ParseFloat, which Prometheus uses, takes Inf and NaN in any case (prom-client prints "Nan").
const VALUE =
  '(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?[Ii][Nn][Ff]|[Nn][Aa][Nn])';
const SAMPLE = new RegExp(
  `^(${NAME})(?:\\{((?:${LABEL}=${LABEL_VALUE})(?:,${LABEL}=${LABEL_VALUE})*,?)?\\})? (${VALUE})(?: -?\\d+)?$`,
);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const PAIR = new RegExp(`(${LABEL})=(${LABEL_VALUE})`, 'g');

function unescape(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

/** The family a sample belongs to: `x_bucket`, `x_sum`, `x_count` of a histogram `x`. */
function familyOf(name: string, types: ReadonlyMap<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return types.get(base) === 'histogram' || types.get(base) === 'summary' ? base : undefined;
}

/**
 * Parses the text exposition format (version 0.0.4) strictly: every line is a HELP, a TYPE
 * or a sample; every sample belongs to a family declared by a TYPE line before it; no
 * series appears twice. Throws on the first line that breaks a rule.
 */
export function parsePrometheusText(text: string): ParsedExposition {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const types = new Map<string, string>();
  const samples: PrometheusSample[] = [];
  const seen = new Set<string>();
  text
    .slice(0, -1)
    .split('\n')
    .forEach((line, index) => {
      const where = `line ${index + 1}: ${line}`;
      if (line === '' || HELP.test(line)) return;
      const type = TYPE.exec(line);
      if (type !== null) {
        if (types.has(type[1]!)) throw new Error(`second TYPE for a family at ${where}`);
        types.set(type[1]!, type[2]!);
        return;
      }
      const sample = SAMPLE.exec(line);
      if (sample === null) throw new Error(`not a valid exposition line at ${where}`);
      const name = sample[1]!;
      if (familyOf(name, types) === undefined) throw new Error(`sample without TYPE at ${where}`);
      const labels: Record<string, string> = {};
      for (const pair of (sample[2] ?? '').matchAll(PAIR)) labels[pair[1]!] = unescape(pair[2]!);
      const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
      if (seen.has(key)) throw new Error(`duplicate series at ${where}`);
      seen.add(key);
      samples.push({ name, labels, value: Number(sample[3]!.replace(/inf$/i, 'Infinity')) });
    });
  return { samples, types };
}

/** The sum of the samples `name` carrying these labels (and any others); 0 when none. */
export function sampleValue(
  parsed: ParsedExposition,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  const matching = parsed.samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  return matching.reduce((sum, sample) => sum + sample.value, 0);
}
