import type { Secret } from '@tokenlane/vault';

/** A token ready for the backend to use at the provider. */
export type UsableToken =
  | {
      readonly kind: 'oauth2';
      readonly accessToken: Secret;
      readonly tokenType: string;
      readonly expiresAt: Date | null;
      /** The connection's token version this token is (a 401 about it names the version). */
      readonly tokenVersion: number;
    }
  | {
      readonly kind: 'oauth1';
      readonly token: Secret;
      readonly tokenSecret: Secret;
      readonly tokenVersion: number;
    };
