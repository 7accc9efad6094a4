import {
  FAILURE_SHARE,
  FAILURE_WINDOW,
  type MigrationPauseReason,
  type MigrationView,
} from '@tokenlane/lifecycle';

/**
 * The migration panel's words (English): each state and pause reason says what happened and
 * what to do next. `provider` is the display name of the migration's `from` provider.
 */
export const STATE_WORDS: Readonly<Record<MigrationView['status'], string>> = {
  running: 'running',
  paused: 'paused',
  completed: 'completed',
  cancelled: 'cancelled',
};

export const MODE_WORDS: Readonly<Record<MigrationView['mode'], string>> = {
  token_exchange: 'token exchange',
  reconsent: 're-consent',
};

interface PauseWords {
  /** A few words for the list and the overview. */
  readonly short: string;
  /** What happened and what to do next. */
  readonly explain: (provider: string) => string;
}

const PAUSE_WORDS: Readonly<Record<MigrationPauseReason, PauseWords>> = {
  credentials: {
    short: 'our credentials were refused',
    explain: (provider) =>
      `${provider} refused our consumer key or signature, so the run stopped and no connection was changed. Check this provider's key and secret in the providers file, restart tokenlane, then resume.`,
  },
  clock: {
    short: "this server's clock is off",
    explain: (provider) =>
      `${provider} refused the time on our requests, so the run stopped and no connection was changed. Set this server's clock right (NTP), then resume.`,
  },
  failure_rate: {
    short: 'too many connections failed',
    explain: () =>
      `More than ${FAILURE_SHARE * 100} % of the last ${FAILURE_WINDOW} connections failed to move, so the run stopped before more could fail. Look at the failed connections' last error codes and at the provider's status, fix the cause, then resume.`,
  },
  operator: {
    short: 'by an operator',
    explain: () =>
      'An operator paused it. Pending connections wait, and keep working as they are, until someone resumes it.',
  },
};

const UNKNOWN_PAUSE: PauseWords = {
  short: 'paused',
  explain: () => 'The run is paused; pending connections wait until it is resumed.',
};

/** The pause reason's words; an unknown or missing reason still reads as a pause. */
export function pauseWords(reason: string | null): PauseWords {
  return reason !== null && reason in PAUSE_WORDS
    ? PAUSE_WORDS[reason as MigrationPauseReason]
    : UNKNOWN_PAUSE;
}

/** A migration's state in a few words: `paused (our credentials were refused)`. */
export function stateLine(view: MigrationView): string {
  return view.status === 'paused'
    ? `paused (${pauseWords(view.pausedReason).short})`
    : STATE_WORDS[view.status];
}

/** What the state means for the operator, beyond the pause reasons. */
export function stateExplanation(view: MigrationView, provider: string): string {
  switch (view.status) {
    case 'paused':
      return pauseWords(view.pausedReason).explain(provider);
    case 'running':
      return 'Connections are moving. Pending ones are queued and keep working as they are until their turn.';
    case 'completed':
      return 'Every connection has its outcome; nothing is left to do here.';
    case 'cancelled':
      return 'Stopped for good. What was done stays done; connections left pending were skipped and stay as they were. Moving them takes a new migration.';
  }
}

/** The operator's actions on a migration, each confirmed on a page of its own. */
export const MIGRATION_ACTIONS = {
  pause: {
    label: 'Pause',
    confirm: 'Pause this migration',
    explain:
      'Connections already moved stay moved. Pending ones wait, without spending attempts, until you resume. Recorded as migration.paused with reason "operator".',
    danger: false,
    from: ['running'],
    done: 'Paused. Pending connections wait until you resume.',
  },
  resume: {
    label: 'Resume',
    confirm: 'Resume this migration',
    explain:
      'Pending connections are queued again and the run goes on, its failure count started afresh. If the cause of the pause is still there, the run pauses again. Recorded as migration.resumed.',
    danger: false,
    from: ['paused'],
    done: 'Resumed. Pending connections are queued again.',
  },
  cancel: {
    label: 'Cancel migration',
    confirm: 'Cancel this migration',
    explain:
      'Stops the run for good: what is done stays done, pending connections are marked skipped and stay as they are. It cannot be resumed; moving them later takes a new migration.',
    danger: true,
    from: ['running', 'paused'],
    done: 'Cancelled. Pending connections were skipped and stay as they were.',
  },
} as const satisfies Record<
  string,
  {
    label: string;
    confirm: string;
    explain: string;
    danger: boolean;
    from: readonly MigrationView['status'][];
    done: string;
  }
>;

export type MigrationAction = keyof typeof MIGRATION_ACTIONS;

/** The actions that apply to a migration in its current state. */
export function actionsFor(view: MigrationView): MigrationAction[] {
  return (Object.keys(MIGRATION_ACTIONS) as MigrationAction[]).filter((action) =>
    (MIGRATION_ACTIONS[action].from as readonly string[]).includes(view.status),
  );
}
