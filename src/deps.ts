import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Clock } from './lib/clock.js';
import type { Store } from './store/db.js';

/** Everything a use case may touch, built once by main.ts (or a test) and passed down. */
export interface Deps {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
}
