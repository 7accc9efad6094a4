import type { z } from 'zod';

import { SECRET_VARIABLES, URL_VARIABLES } from './env-schema.js';
import { echoUrl, truncate } from './url-display.js';

/** One bad variable: `message` is the whole line, e.g. `Invalid environment: PORT must be …`. */
export interface ConfigIssue {
  readonly variable: string;
  readonly message: string;
}

/**
 * The environment is unusable. The message has one line per bad variable, naming it and
 * what it expects; secret values are never echoed and URLs lose their userinfo first.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map((issue) => issue.message).join('\n'));
    this.issues = issues;
  }
}

/** A line about `variable`; `problem` follows the name, `shown` is the raw offending value. */
export function configIssue(variable: string, problem: string, shown?: string): ConfigIssue {
  return {
    variable,
    message: `Invalid environment: ${variable} ${problem}${echo(variable, shown)}`,
  };
}

/** Turns a zod issue on the env object into a line, echoing the (list entry) value safely. */
export function fromZodIssue(
  issue: z.core.$ZodIssue,
  env: Readonly<Record<string, string | undefined>>,
): ConfigIssue {
  const [first, index] = issue.path;
  const variable = typeof first === 'string' ? first : 'environment';
  const raw = env[variable];
  if (typeof index === 'number' && raw !== undefined) {
    const entry = raw.split(',')[index]?.trim();
    return configIssue(variable, `entry ${index + 1} ${issue.message}`, entry);
  }
  return configIssue(variable, issue.message, raw);
}

function echo(variable: string, shown: string | undefined): string {
  if (shown === undefined || shown === '' || SECRET_VARIABLES.has(variable)) return '';
  const safe = URL_VARIABLES.has(variable) ? echoUrl(shown) : truncate(shown);
  return ` (got ${JSON.stringify(safe)})`;
}
