export { resolveSecrets } from './dev-secrets.js';
export type { ResolvedSecrets } from './dev-secrets.js';
export { checkReadiness, openRuntime } from './runtime.js';
export type { ProcessRole, Readiness, Runtime } from './runtime.js';
