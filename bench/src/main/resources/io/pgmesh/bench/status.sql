-- The queries the node daemon runs for status (StatusReport and Catalog, as of this commit), for pgbench:
-- server version, publications, subscriptions with their apply workers, the conflict log, and the bounded row
-- count of the replicated table (above 100,000 rows the daemon also reads the estimate, not done here).
SELECT current_setting('server_version');
SELECT p.pubname, t.tablename FROM pg_publication p LEFT JOIN pg_publication_tables t ON t.pubname = p.pubname ORDER BY 1, 2;
SELECT s.subname, s.subenabled, s.subpublications, w.pid, w.received_lsn::text, CASE WHEN isfinite(w.last_msg_receipt_time) THEN w.last_msg_receipt_time END, rel.ready, rel.total FROM pg_subscription s JOIN pg_database d ON d.oid = s.subdbid AND d.datname = current_database() LEFT JOIN pg_stat_subscription w ON w.subid = s.oid AND w.relid IS NULL AND w.worker_type = 'apply' CROSS JOIN LATERAL (SELECT (count(*) FILTER (WHERE r.srsubstate = 'r'))::integer AS ready, count(*)::integer AS total FROM pg_subscription_rel r WHERE r.srsubid = s.oid) rel ORDER BY 1;
SELECT statement_timestamp(), setting::bigint FROM pg_settings WHERE name = 'wal_receiver_timeout';
SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'pgmesh_conflicts');
SELECT table_name, count(*) FROM public.pgmesh_conflicts GROUP BY table_name;
SELECT count(*) FROM (SELECT 1 FROM "public"."table1" LIMIT 100001) s;
