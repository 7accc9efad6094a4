export type { CipherContext, Ciphertext } from './ciphertext.js';
