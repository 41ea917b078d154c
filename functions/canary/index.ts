import { appFromEnv, canaryHandler, canarySettings } from '@roomcast/core';

const app = appFromEnv();

/** Schedule: connect to this stage, subscribe, publish numbered messages, record CanaryRoundTrip and CanaryLost. */
export const handler = canaryHandler(app, canarySettings(process.env));
