import { runRetention } from '@tokenlane/lifecycle';
import type { JobHandlers } from '@tokenlane/queue';
import type { Runtime } from '@tokenlane/runtime';

/** `retention`: delete what nobody needs any more (see lifecycle's runRetention). */
export function retentionHandler(rt: Runtime): JobHandlers['retention'] {
  return () => runRetention(rt);
}
