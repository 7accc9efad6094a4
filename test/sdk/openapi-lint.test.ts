import { readFile } from 'node:fs/promises';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE } from '../../packages/client/scripts/sdk-artifacts.js';

/**
 * Findings of Redocly's `recommended` ruleset accepted on purpose, each with its reason. Any
 * other finding (error or warning) fails the test.
 */
const ACCEPTED: readonly { rule: string; pointer: string; reason: string }[] = [
  {
    rule: 'operation-4xx-response',
    pointer: '#/paths/~1healthz/get/responses',
    reason: 'a probe takes no input, so it refuses nothing',
  },
  {
    rule: 'operation-4xx-response',
    pointer: '#/paths/~1readyz/get/responses',
    reason: 'a probe takes no input, so it refuses nothing',
  },
  {
    rule: 'operation-4xx-response',
    pointer: '#/paths/~1metrics/get/responses',
    reason: 'a probe takes no input, so it refuses nothing',
  },
  {
    rule: 'operation-2xx-response',
    pointer: '#/paths/~1connect~1{id}/post/responses',
    reason: "its success is a 303 to the provider's authorization page",
  },
];

describe('the OpenAPI document', () => {
  it("passes Redocly's recommended rules, but for the accepted findings", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({
      source: await readFile(OPENAPI_FILE, 'utf8'),
      absoluteRef: OPENAPI_FILE,
      config,
    });
    const findings = problems.map((problem) => ({
      rule: problem.ruleId,
      pointer: problem.location[0]?.pointer ?? '',
      message: problem.message,
    }));
    const unexpected = findings.filter(
      (finding) =>
        !ACCEPTED.some(
          (accepted) => accepted.rule === finding.rule && accepted.pointer === finding.pointer,
        ),
    );
    expect(unexpected).toEqual([]);
    // An accepted finding that no longer shows up is stale: drop it from the list.
    for (const accepted of ACCEPTED) {
      expect(findings, accepted.reason).toContainEqual(
        expect.objectContaining({ rule: accepted.rule, pointer: accepted.pointer }),
      );
    }
  });
});
