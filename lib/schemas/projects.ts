import * as z from 'zod';
import { idPattern } from '../ids.ts';
import { HttpUrl } from './common.ts';

export const ProjectIdParam = z.string().regex(idPattern('project'));

export const CreateProjectSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    base_url: HttpUrl,
  })
  .meta({ id: 'CreateProjectRequest' });
export type CreateProjectInput = z.output<typeof CreateProjectSchema>;

export const ProjectSchema = z
  .object({
    id: z.string().meta({ example: 'prj_0123456789abcdef01234567' }),
    name: z.string(),
    base_url: z.string(),
    created_at: z.string(),
  })
  .meta({ id: 'Project' });
export type ProjectView = z.output<typeof ProjectSchema>;
