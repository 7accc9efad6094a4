import { readFileSync } from 'node:fs';
import { ProvidersFileError } from '../errors.js';

/** The providers file's top-level object, from a path (read and parsed) or given directly. */
export function readProvidersFile(file: string | object | undefined): Record<string, unknown> {
  if (file === undefined) return {};
  let content: unknown = file;
  if (typeof file === 'string') {
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ProvidersFileError(`${file} cannot be read (${code})`);
    }
    try {
      content = JSON.parse(raw);
    } catch {
      // No cause and no parser message: V8 quotes the surrounding text, which may be a secret.
      throw new ProvidersFileError(`${file} is not valid JSON`);
    }
  }
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    throw new ProvidersFileError('the top level must be an object keyed by provider id');
  }
  return content as Record<string, unknown>;
}
