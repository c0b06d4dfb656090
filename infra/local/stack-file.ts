import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `$WRO_DATA_DIR/stack.json`: what `npm start` writes once ready and removes when it stops. */
export interface StackFile {
  api_url: string;
  region: string;
  table_name: string;
  dynamodb_endpoint: string;
  pid: number;
  [more: string]: unknown;
}

export const stackFilePath = (dataDir: string) => join(dataDir, 'stack.json');

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The data folder's stack file: `live` when the stack that wrote it still runs, `stale` when it was
 * left by one that was killed (or cannot be read); undefined when there is none.
 */
export function readStackFile(
  dataDir: string,
): { kind: 'live'; stack: StackFile } | { kind: 'stale'; pid?: number } | undefined {
  const file = stackFilePath(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    const stack = JSON.parse(readFileSync(file, 'utf8')) as StackFile;
    return Number.isInteger(stack.pid) && running(stack.pid)
      ? { kind: 'live', stack }
      : { kind: 'stale', pid: stack.pid };
  } catch {
    return { kind: 'stale' };
  }
}
