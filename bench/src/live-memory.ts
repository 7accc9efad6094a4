import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// The collector, callable from here without `node --expose-gc` on the bench's command line.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/**
 * Memory still held after a full collection: the JavaScript heap in use plus memory outside
 * it (buffers, sockets' native state). Unlike RSS it leaves out garbage not yet collected and
 * the room the collector keeps to work in, which do not grow with the refreshes in flight.
 */
export function liveBytes(): number {
  collect();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}
