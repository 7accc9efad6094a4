import type { Migration } from 'kysely';
import { initial } from './0001_initial.js';
import { noticeReplay } from './0002_notice_replay.js';
import { failurePolicy } from './0003_failure_policy.js';
import { linkSecurity } from './0004_link_security.js';
import { consoleIndexes } from './0005_console.js';
import { providerMigrations } from './0006_migrations.js';
import { migrationPause } from './0007_migration_pause.js';
import { identityPending } from './0008_identity_pending.js';
import { linkTraceparent } from './0009_link_traceparent.js';
import { refreshLease } from './0010_refresh_lease.js';

/** Every migration, by name; names sort in the order they run. Never edit one once shipped. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_notice_replay': noticeReplay,
  '0003_failure_policy': failurePolicy,
  '0004_link_security': linkSecurity,
  '0005_console': consoleIndexes,
  '0006_migrations': providerMigrations,
  '0007_migration_pause': migrationPause,
  '0008_identity_pending': identityPending,
  '0009_link_traceparent': linkTraceparent,
  '0010_refresh_lease': refreshLease,
};
