import type { App } from './context.js';
import { LIMITS } from '../model/limits.js';
import { instanceShare, postingInstances } from '../model/pacing.js';

/** How often an instance reads how many instances are posting. */
export const SHARE_REFRESH_MS = 1000;

/**
 * Keep this instance's share of the account's PostToConnection quota (PostQuotaPerSecond)
 * in step with the deliver instances posting now, counted from the delivery jobs in flight
 * on the queue (read at most once a second per instance): one instance alone may use the
 * whole quota, twelve share it. When the count cannot be read, the share is the smallest:
 * the quota over the most instances there may be (DeliveryMaxConcurrency).
 */
export async function refreshPostShare(app: App): Promise<void> {
  const { postQuotaPerSecond: quota, deliveryMaxConcurrency: most } = app.config;
  if (quota <= 0 || app.now() - app.postShareReadAt < SHARE_REFRESH_MS) return;
  app.postShareReadAt = app.now();
  try {
    const inFlight = await app.queue.inFlight();
    app.postPacer.setShare(instanceShare(quota, postingInstances(inFlight, LIMITS.sqsBatchEntries, most)));
  } catch (error) {
    app.postPacer.setShare(instanceShare(quota, most));
    app.logger.warn('could not count the delivery jobs in flight; posting at the smallest share', { error: String(error) });
  }
}
