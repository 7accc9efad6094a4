export type { CipherContext, Ciphertext } from './ciphertext.js';
export { Secret } from './secret.js';
