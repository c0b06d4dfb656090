import { HttpUrl } from './common.ts';
import * as z from './zod.ts';

export const CreateProjectSchema = z
  .object({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    base_url: HttpUrl,
  })
  .register(z.globalRegistry, { id: 'CreateProjectRequest' });
export type CreateProjectInput = z.output<typeof CreateProjectSchema>;

export const ProjectSchema = z
  .object({
    id: z.string().register(z.globalRegistry, { example: 'prj_0123456789abcdef01234567' }),
    name: z.string(),
    base_url: z.string(),
    created_at: z.string(),
  })
  .register(z.globalRegistry, { id: 'Project' });
export type ProjectView = z.output<typeof ProjectSchema>;
