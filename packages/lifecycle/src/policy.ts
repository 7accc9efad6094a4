/**
 * The timings of the failure policy (docs/api.md, "Failure policy"), as one value in the
 * lifecycle context: the boot builds it from the configuration, and a benchmark may run the
 * same code on a compressed clock by scaling it.
 */
export interface FailurePolicy {
  /** Per-connection backoff after a failed refresh: floor + full jitter over base·2ⁿ, capped. */
  readonly backoffFloorMs: number;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  /** The breaker's health window, the calls it needs, and the failing share that opens it. */
  readonly breakerWindowMs: number;
  readonly breakerMinCalls: number;
  readonly breakerFailRatio: number;
  /** The first wait before a paused provider is probed; each failed probe doubles it… */
  readonly probeFirstMs: number;
  /** …up to this when our credentials were refused (it takes an operator to fix)… */
  readonly probeMaxCredentialsMs: number;
  /** …and up to this when the provider was failing (outages end on their own). */
  readonly probeMaxTransientMs: number;
  /** A probe whose worker died frees the probe after this long. */
  readonly probeLockMs: number;
}

export const DEFAULT_FAILURE_POLICY: FailurePolicy = {
  backoffFloorMs: 20_000,
  backoffBaseMs: 30_000,
  backoffCapMs: 6 * 3_600_000,
  breakerWindowMs: 60_000,
  breakerMinCalls: 10,
  breakerFailRatio: 0.5,
  probeFirstMs: 60_000,
  probeMaxCredentialsMs: 3_600_000,
  probeMaxTransientMs: 120_000,
  probeLockMs: 60_000,
};

/**
 * The policy of a deployment: the defaults, with TOKENLANE_PROVIDER_PROBE_SECONDS. The probe
 * lock outlasts the longest probe call (TOKENLANE_PROVIDER_TIMEOUT_MS for the headers and
 * again for the body, plus connecting and one resend of a request that never left), so a
 * slow probe is never joined by a second one.
 */
export function failurePolicy(settings: {
  providerProbeSeconds: number;
  providerTimeoutMs: number;
}): FailurePolicy {
  const probeFirstMs = settings.providerProbeSeconds * 1000;
  return {
    ...DEFAULT_FAILURE_POLICY,
    probeFirstMs,
    probeMaxTransientMs: Math.max(probeFirstMs, DEFAULT_FAILURE_POLICY.probeMaxTransientMs),
    probeLockMs: Math.max(
      DEFAULT_FAILURE_POLICY.probeLockMs,
      2 * settings.providerTimeoutMs + PROBE_CONNECT_MARGIN_MS,
    ),
  };
}

/** Two connection attempts (5 s each at most) and some slack, on top of the answer's wait. */
const PROBE_CONNECT_MARGIN_MS = 15_000;

/** Every timing divided by `factor`: one real second stands for `factor` seconds. */
export function scaledFailurePolicy(policy: FailurePolicy, factor: number): FailurePolicy {
  const scale = (ms: number) => Math.max(1, Math.round(ms / factor));
  return {
    ...policy,
    backoffFloorMs: scale(policy.backoffFloorMs),
    backoffBaseMs: scale(policy.backoffBaseMs),
    backoffCapMs: scale(policy.backoffCapMs),
    breakerWindowMs: scale(policy.breakerWindowMs),
    probeFirstMs: scale(policy.probeFirstMs),
    probeMaxCredentialsMs: scale(policy.probeMaxCredentialsMs),
    probeMaxTransientMs: scale(policy.probeMaxTransientMs),
    probeLockMs: scale(policy.probeLockMs),
  };
}
