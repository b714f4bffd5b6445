// Statements of the money path built once and run in whichever session is at hand: the pool, or
// the connection of a transaction.
//
// Drizzle builds a statement's SQL text anew on every call: 100–150 µs of CPU for an insert with
// RETURNING or a four-condition select on this machine, about a third of a create's CPU in the
// app (docs/decisions/060). Its own `.prepare()` keeps the built statement, but tied to the
// session it was made in, so one made on the pool cannot run inside a use-case's transaction.
// This keeps what Drizzle built (the text, its parameters with placeholders, how to map the rows)
// and hands it to the session of the db or tx it runs in, which costs next to nothing. Being
// named, the statement is also prepared by PostgreSQL once per connection (postgres.js keeps
// them), instead of parsed and planned on every call.
//
// It leans on Drizzle internals (a database's `session`, a prepared query's fields): the test
// beside it runs every statement made here against a real database, so an upgrade that moves
// them fails there.
import type { Db, Tx } from "../../db/client";

type Query = { sql: string; params: unknown[] };

/** What Drizzle's prepared queries carry (pg-core PgPreparedQuery and its driver subclasses). */
type PreparedParts = {
  getQuery(): Query;
  fields?: unknown;
  _isResponseInArrayMode: boolean;
  customResultMapper?: unknown;
  joinsNotNullableMap?: unknown;
};

type RunnableQuery = PreparedParts & { execute(values?: Record<string, unknown>): Promise<unknown> };

type Session = {
  prepareQuery(
    query: Query,
    fields: unknown,
    name: string | undefined,
    isResponseInArrayMode: boolean,
    customResultMapper?: unknown,
  ): RunnableQuery;
};

type Builder<R> = { execute(): Promise<R> };

/**
 * A statement built by `build` (with `sql.placeholder(name)` where values go) on its first run,
 * then run with `values` in the session of `on`. `name` must be unique in the app: PostgreSQL
 * keeps the prepared statement under it on each connection.
 */
export function preparedStatement<R, V extends Record<string, unknown>>(
  name: string,
  build: (on: Db | Tx) => Builder<R>,
): (on: Db | Tx, values: V) => Promise<R> {
  let parts: PreparedParts | undefined;
  return (on, values) => {
    parts ??= (build(on) as unknown as { _prepare(name: string): PreparedParts })._prepare(name);
    const session = (on as unknown as { session: Session }).session;
    const query = session.prepareQuery(
      parts.getQuery(),
      parts.fields,
      name,
      parts._isResponseInArrayMode,
      parts.customResultMapper,
    );
    query.joinsNotNullableMap = parts.joinsNotNullableMap;
    return query.execute(values) as Promise<R>;
  };
}
