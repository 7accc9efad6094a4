import type { ApiKeyScope } from '@tokenlane/config';

/**
 * The scope each `/v1` route needs, by method and route pattern: one table, so a new route
 * without a row is refused to every scoped key (it needs `admin`) rather than open to all.
 * Bare keys hold every scope.
 */
const ROUTE_SCOPES: Readonly<Record<string, ApiKeyScope>> = {
  'GET /v1/connections': 'connections:read',
  'GET /v1/connections/:id': 'connections:read',
  'GET /v1/providers': 'connections:read',
  'POST /v1/links': 'connections:write',
  'POST /v1/links/:linkId/pin': 'connections:write',
  'POST /v1/connections/:id/relink': 'connections:write',
  'POST /v1/connections/:id/refresh': 'connections:write',
  'POST /v1/connections/:id/unauthorized': 'connections:write',
  'DELETE /v1/connections/:id': 'connections:write',
  'GET /v1/connections/:id/token': 'tokens:read',
  'GET /v1/events': 'events:read',
  'GET /v1/connections/:id/proxy/*': 'proxy',
  'POST /v1/connections/:id/proxy/*': 'proxy',
  'PUT /v1/connections/:id/proxy/*': 'proxy',
  'PATCH /v1/connections/:id/proxy/*': 'proxy',
  'DELETE /v1/connections/:id/proxy/*': 'proxy',
  'POST /v1/migrations': 'migrations:write',
  'GET /v1/migrations': 'migrations:write',
  'GET /v1/migrations/:id': 'migrations:write',
  'POST /v1/migrations/:id/cancel': 'migrations:write',
  'POST /v1/migrations/:id/pause': 'migrations:write',
  'POST /v1/migrations/:id/resume': 'migrations:write',
};

/** The scope a matched `/v1` route needs (`admin` for any route the table does not name). */
export function routeScope(method: string, route: string): ApiKeyScope {
  // HEAD is answered by the GET route.
  const verb = method === 'HEAD' ? 'GET' : method;
  return ROUTE_SCOPES[`${verb} ${route}`] ?? 'admin';
}
