/** The only thing tests fake: the current time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The current time as stored: ISO-8601 UTC with milliseconds. */
export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}
