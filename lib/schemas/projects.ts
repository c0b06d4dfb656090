import { HttpUrl, PageQuerySchema, trimmedText } from './common.ts';
import * as z from './zod.ts';

export const CreateProjectSchema = /* @__PURE__ */ z.onFirstUse(() =>
  z
    .object({
      name: trimmedText(200),
      base_url: HttpUrl(),
    })
    .register(z.globalRegistry, { id: 'CreateProjectRequest' }),
);
export type CreateProjectInput = z.output<ReturnType<typeof CreateProjectSchema>>;

/** `GET /api/projects`: a page of the account's projects, newest first. */
export const ProjectListQuerySchema = PageQuerySchema;
