import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  GENERATE_COMMAND,
  generateSdkArtifacts,
  OPENAPI_FILE,
  TYPES_FILE,
} from '../../packages/client/scripts/sdk-artifacts.js';

// Paths in sdk-artifacts are relative to the repository root, where vitest runs.
describe('the checked-in SDK contract', () => {
  it('matches the ingress route schemas: openapi.json and the generated types', async () => {
    const fresh = await generateSdkArtifacts();
    for (const [file, text] of [
      [OPENAPI_FILE, fresh.openApiText],
      [TYPES_FILE, fresh.typesText],
    ] as const) {
      const checkedIn = await readFile(file, 'utf8');
      expect(
        checkedIn === text,
        `${file} differs from the route schemas: run \`${GENERATE_COMMAND}\` and commit the result`,
      ).toBe(true);
    }
  });
});
