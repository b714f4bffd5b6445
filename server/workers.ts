// PAYDESK_WORKERS: how many processes `npm start` serves from (server/index.ts).

/** How many serving processes PAYDESK_WORKERS asks for, or why it cannot be. */
export function workerCount(env: Record<string, string | undefined>): { workers: number } | { error: string } {
  const raw = env.PAYDESK_WORKERS?.trim();
  if (!raw) return { workers: 1 };
  const workers = Number(raw);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    return { error: `PAYDESK_WORKERS must be a whole number from 1 to 64, not "${raw}".` };
  if (workers > 1 && !env.DATABASE_URL)
    return {
      error:
        "PAYDESK_WORKERS above 1 needs DATABASE_URL: the embedded PGlite database lives inside one process. " +
        "Point DATABASE_URL at a PostgreSQL server, or leave PAYDESK_WORKERS unset.",
    };
  return { workers };
}
