import type { ProviderDefinition } from '../definition.js';
import { dexcom } from './dexcom.js';
import { fitbit } from './fitbit.js';
import { garminOAuth2 } from './garmin-oauth2.js';
import { garmin } from './garmin.js';
import { googleHealth } from './google-health.js';
import { googleNest } from './google-nest.js';
import { nestLegacy } from './nest-legacy.js';
import { oura } from './oura.js';
import { polar } from './polar.js';
import { strava } from './strava.js';
import { whoop } from './whoop.js';
import { withings } from './withings.js';

/** The built-in catalog; the providers file adds credentials and may override endpoints. */
export const BUILTIN_PROVIDERS: readonly ProviderDefinition[] = [
  garmin,
  garminOAuth2,
  googleHealth,
  fitbit,
  whoop,
  oura,
  withings,
  polar,
  strava,
  dexcom,
  googleNest,
  nestLegacy,
];
