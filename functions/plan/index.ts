import { appFromEnv, planTask, planTaskHandler } from '@roomcast/core';

const app = appFromEnv();

/** SQS: plan one segment of a large room's fan-out, or split it among more planners. */
export const handler = planTaskHandler(app, (task, retried) => planTask(app, task, retried));
