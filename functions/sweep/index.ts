import { appFromEnv, scheduledHandler, sweepSessions } from '@roomcast/core';

const app = appFromEnv();

/** Schedule: close the connections whose session ended (token expired, no refresh) through the management API. */
export const handler = scheduledHandler(app, () => sweepSessions(app));
