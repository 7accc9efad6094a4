// Minimal typings for the two test-only libraries that ship none.

declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** oidc-provider's configuration object (https://github.com/panva/node-oidc-provider/blob/main/docs/README.md). */
  export type Configuration = Record<string, unknown>;

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
    /** The stored access token a value names; undefined when unknown, expired or revoked. */
    readonly AccessToken: {
      find(value: string): Promise<{ readonly accountId?: string } | undefined>;
    };
  }
}

declare module 'oauth-sign' {
  /** base64 HMAC-SHA1 over the RFC 5849 §3.4.1 signature base string. */
  export function hmacsign(
    httpMethod: string,
    baseUri: string,
    params: Record<string, string | string[]>,
    consumerSecret: string,
    tokenSecret?: string,
  ): string;
  export function rfc3986(value: string): string;
}
