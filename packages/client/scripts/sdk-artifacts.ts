import { buildOpenApiDocument } from '@tokenlane/ingress';
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';

/** The checked-in files this generator owns, relative to the repository root. */
export const OPENAPI_FILE = 'packages/client/openapi.json';
export const TYPES_FILE = 'packages/client/src/generated/api.ts';
export const GENERATE_COMMAND = 'npm run generate:sdk';

export interface SdkArtifacts {
  readonly document: Record<string, unknown>;
  /** `openapi.json` as checked in: formatted as the repository formats JSON. */
  readonly openApiText: string;
  /** `src/generated/api.ts`: the document's schemas and operations as TypeScript types. */
  readonly typesText: string;
}

const TYPES_HEADER = `/**
 * Generated from openapi.json by openapi-typescript: do not edit. Run \`${GENERATE_COMMAND}\`
 * after changing a route schema; a test fails while this file and the routes disagree.
 */
`;

/** Builds the document from the ingress routes and the SDK types from it, in memory. */
export async function generateSdkArtifacts(): Promise<SdkArtifacts> {
  const document = await buildOpenApiDocument();
  const openApiText = await formatAs(OPENAPI_FILE, JSON.stringify(document));
  // `immutable`: readonly fields and arrays, as the SDK has always returned them.
  // `enumValues`: each enum also as a constant array (`connectionStatusValues`), for run time.
  const ast = await openapiTS(structuredClone(document) as never, {
    immutable: true,
    enumValues: true,
  });
  const typesText = await formatAs(TYPES_FILE, TYPES_HEADER + astToString(ast));
  return { document, openApiText, typesText };
}

async function formatAs(file: string, text: string): Promise<string> {
  const options = (await resolveConfig(file)) ?? {};
  return format(text, { ...options, filepath: file });
}
