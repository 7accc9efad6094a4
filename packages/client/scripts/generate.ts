import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generateSdkArtifacts, OPENAPI_FILE, TYPES_FILE } from './sdk-artifacts.js';

// Run from the repository root (`npm run generate:sdk`): the paths are relative to it.
const { openApiText, typesText } = await generateSdkArtifacts();
for (const [file, text] of [
  [OPENAPI_FILE, openApiText],
  [TYPES_FILE, typesText],
] as const) {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  process.stdout.write(`wrote ${file}\n`);
}
