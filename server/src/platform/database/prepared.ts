import type { EntityManager } from "typeorm";

/**
 * Runs a statement as a named prepared statement, on the transaction's connection when `em` is a
 * transaction's, or on any of the pool's: PostgreSQL parses and plans it once per connection
 * instead of at every call. For the statements on hot paths (every request's authentication, every
 * collaboration update, every ingest group), where planning costs about as much as running.
 * A name must always go with the same text.
 */
export async function preparedQuery<Row = Record<string, unknown>>(em: EntityManager, name: string, text: string, values: unknown[]): Promise<Row[]> {
  type Client = { query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: Row[] }> };
  const runner = em.queryRunner as unknown as { connect(): Promise<Client> } | undefined;
  const client = runner ? await runner.connect() : (em.connection.driver as unknown as { master: Client }).master;
  return (await client.query({ name, text, values })).rows;
}
