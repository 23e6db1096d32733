import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * How many jobs each status holds, kept by triggers. Every job list answers with its `total`,
 * and counting a status of a million jobs on its index cost tens of milliseconds per request;
 * the triggers make that count one row read, at one small write per inserted, moved or deleted job.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE renewal_job_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID`
  yield* sql`INSERT INTO renewal_job_counts (status, n) SELECT status, COUNT(*) FROM renewal_jobs GROUP BY status`
  yield* sql`CREATE TRIGGER renewal_job_counts_insert AFTER INSERT ON renewal_jobs BEGIN
    INSERT INTO renewal_job_counts (status, n) VALUES (NEW.status, 1)
      ON CONFLICT (status) DO UPDATE SET n = n + 1;
  END`
  yield* sql`CREATE TRIGGER renewal_job_counts_delete AFTER DELETE ON renewal_jobs BEGIN
    UPDATE renewal_job_counts SET n = n - 1 WHERE status = OLD.status;
  END`
  yield* sql`CREATE TRIGGER renewal_job_counts_status AFTER UPDATE OF status ON renewal_jobs
    WHEN OLD.status IS NOT NEW.status BEGIN
    UPDATE renewal_job_counts SET n = n - 1 WHERE status = OLD.status;
    INSERT INTO renewal_job_counts (status, n) VALUES (NEW.status, 1)
      ON CONFLICT (status) DO UPDATE SET n = n + 1;
  END`
})
