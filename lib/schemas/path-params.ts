import { idPattern } from '../ids.ts';
import * as z from './zod.ts';

/** Path parameters' schemas (lib/http/routes/route.ts, PATH_PARAMS). */
export const ProjectIdParam = z.string().check(z.regex(idPattern('project')));

/** Path parameter: a strict positive integer, else the run does not exist (404). */
export const ScanRunIdParam = z.pipe(
  z.string().check(z.regex(/^[1-9]\d{0,15}$/)),
  z.transform((v: string) => Number(v)),
);

export const TargetIdParam = z.string().check(z.regex(idPattern('target')));

export const ExportIdParam = z.string().check(z.regex(idPattern('export')));
