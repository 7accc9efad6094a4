import type { OAuth2Definition } from '../definition.js';
import { googleRevokeOnce } from './google.js';

// Google Nest Device Access (Smart Device Management API). Authorization goes through the
// Partner Connections Manager, whose URL carries the Device Access project id (`urlParams`).
// Apps in "Testing" get refresh tokens that expire after 7 days; revoked → invalid_grant.
// Sources: https://developers.google.com/nest/device-access/authorize
//   https://developers.google.com/nest/device-access/reference/rest (scope sdm.service)
//   https://developers.google.com/identity/protocols/oauth2/web-server (token, revoke)
export const googleNest = {
  kind: 'oauth2',
  id: 'google-nest',
  displayName: 'Google Nest (Device Access)',
  authorizationUrl: 'https://nestservices.google.com/partnerconnections/{projectId}/auth',
  urlParams: ['projectId'],
  tokenUrl: 'https://oauth2.googleapis.com/token',
  // Google sends `iss` on the authorization response (RFC 9207).
  issuer: 'https://accounts.google.com',
  revocationUrl: 'https://oauth2.googleapis.com/revoke',
  // The SDM API, scoped to the project's enterprise: proxied paths are `devices`,
  // `devices/<id>:executeCommand`, `structures`, … Nothing outside the project is reachable.
  // Source: https://developers.google.com/nest/device-access/reference/rest
  apiBaseUrl: 'https://smartdevicemanagement.googleapis.com/v1/enterprises/{projectId}',
  // No rateLimits: the SDM API limits each method per user and per device (Sandbox:
  // devices.executeCommand and devices.get 10 a minute, devices.list and structures.* 5 a
  // minute; commands 5 a minute per device), not all calls together, and Commercial projects
  // have other numbers. One budget for every call cannot express that; the provider's own 429
  // holds calls back. Source: https://developers.google.com/nest/device-access/project/limits
  // (checked 2026-12-06)
  scopes: ['https://www.googleapis.com/auth/sdm.service'],
  scopeSeparator: ' ',
  authorizationParams: { access_type: 'offline', prompt: 'consent' },
  tokenEndpointAuthMethod: 'client_secret_post',
  // Refresh tokens of apps in Testing status expire after 7 days: set
  // `"refreshTokenLifetimeDays": 7` in the providers file while the app is in Testing.
  pkce: 'supported',
  hooks: { revoke: googleRevokeOnce },
} satisfies OAuth2Definition;
