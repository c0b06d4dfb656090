// Imported first by bench/run.ts: request logs would drown the benchmark's own output.
process.env.WRO_LOG_LEVEL ??= 'ERROR';
