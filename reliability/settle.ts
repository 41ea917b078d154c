/** Waiting for a system under load to settle, without a deadline: give up only when progress stops. */

/**
 * Resolves true once `done()` holds, false once `progress()` (any number that moves while
 * work goes on) has not changed for `stallMs`, unless `pending()` says that work is still
 * waiting somewhere (e.g. messages in a queue). Polls every `pollMs`.
 */
export async function settle(
  done: () => boolean | Promise<boolean>,
  progress: () => number | Promise<number>,
  stallMs: number,
  pollMs = 100,
  pending?: () => boolean | Promise<boolean>,
): Promise<boolean> {
  let last = await progress();
  let lastChange = Date.now();
  while (!(await done())) {
    await sleep(pollMs);
    const now = await progress();
    if (now !== last || (await pending?.())) {
      last = now;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) {
      return false;
    }
  }
  return true;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
