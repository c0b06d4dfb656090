import { HttpUrl } from './common.ts';
import * as z from './zod.ts';

export const CreateProjectSchema = z
  .object({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    base_url: HttpUrl,
  })
  .register(z.globalRegistry, { id: 'CreateProjectRequest' });
export type CreateProjectInput = z.output<typeof CreateProjectSchema>;
