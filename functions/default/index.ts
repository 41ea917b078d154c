import { answerDefault, appFromEnv, parseClientFrame, websocketHandler } from '@roomcast/core';

const app = appFromEnv();

/** ping and $default: answer `pong`, or an error frame for what the server does not know. */
export const handler = websocketHandler(app, async (request) => answerDefault(parseClientFrame(request.body)));
