-- Changes are recorded in a log inside each write transaction instead of announced with
-- NOTIFY there: a NOTIFY in a transaction holds PostgreSQL's notify lock from pre-commit until
-- its commit record is flushed, so notifying commits could not share a WAL flush. Each running
-- instance reads the log (see ChangeFeed): the rows committed between its last snapshot and a
-- new one, found with `pg_visible_in_snapshot`, so a change is read once, whatever order
-- transactions took their ids in; each snapshot holds a prefix of every application's revisions. After committing, a writer sends
-- the keys it changed in a NOTIFY (`config_service_changes`) outside any write transaction, so the
-- instances drop them and read at once; the log is the truth, read every 250 ms whether a tick
-- comes or not.
--
-- Keys, as before: `c:<configuration id>`, `a:<application id>`, `s:<application id>`,
-- `r:<application id>:<revision>`, and `*` (TRUNCATE: anything may have changed).

CREATE TABLE change_log (
  xid xid8        NOT NULL DEFAULT pg_current_xact_id(),
  n   bigserial   NOT NULL,
  key text        NOT NULL,
  -- of an `r:` key: a reading hands an application's revisions on in revision order, which
  -- is their commit order (each waits for the application's row lock held by the one before)
  revision bigint,
  at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX change_log_xid ON change_log (xid, n);
CREATE INDEX change_log_at ON change_log (at);

COMMENT ON TABLE change_log IS
  'keys of committed changes, read by every instance to drop what it cached; rows older than 10 minutes are removed';

CREATE OR REPLACE FUNCTION config_service_announce_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    INSERT INTO change_log (key) VALUES ('*');
  ELSIF TG_TABLE_NAME = 'configurations' THEN
    INSERT INTO change_log (key) VALUES ('c:' || COALESCE(NEW.id, OLD.id));
    IF TG_OP <> 'UPDATE' THEN
      INSERT INTO change_log (key) VALUES ('a:' || COALESCE(NEW.application_id, OLD.application_id));
    END IF;
  ELSE
    INSERT INTO change_log (key) VALUES ('a:' || COALESCE(NEW.id, OLD.id));
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION config_service_announce_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change_log (key, revision) VALUES ('r:' || NEW.application_id || ':' || NEW.revision, NEW.revision);
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION config_service_announce_schema_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    INSERT INTO change_log (key) VALUES ('*');
  ELSIF TG_TABLE_NAME = 'applications' THEN
    INSERT INTO change_log (key) VALUES ('s:' || OLD.id);
  ELSE
    INSERT INTO change_log (key) VALUES ('s:' || COALESCE(NEW.application_id, OLD.application_id));
  END IF;
  RETURN NULL;
END
$$;
