import { createTarget, toTargetView } from '../lib/domain/targets.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { runtime } from '../lib/runtime.ts';
import { CreateTargetSchema } from '../lib/schemas/targets.ts';

export const handler = httpRoute(
  'targets.create',
  { body: CreateTargetSchema },
  async ({ body, principal }) => {
    const { db, config } = runtime();
    const { target, signingSecret } = await createTarget({ db, config }, accountOf(principal), body);
    return { status: 201, body: { ...toTargetView(target), signing_secret: signingSecret } };
  },
);
