/**
 * Step 24: the tickets and orders lists newest first (backoffice/tickets ticket-store.ts,
 * backoffice/sales orders.ts: ORDER BY created_at DESC, id DESC). As calls_newest (step 23): a
 * page, deep or not, walks the index and stops instead of sorting the id tie-break over every row
 * before it (offset 10 000 of the bench year: orders ~30 -> ~0.5 ms, tickets ~10 -> ~0.5 ms).
 * They serve the created_at ranges too, so they replace the created_at indexes.
 */
export const STEP_NEWEST_FIRST = `
  CREATE INDEX tickets_newest ON tickets(created_at DESC, id DESC);
  DROP INDEX tickets_created_at;
  CREATE INDEX orders_newest ON orders(created_at DESC, id DESC);
  DROP INDEX orders_created_at;
`;
