-- A JSON Schema per application, which its configurations must conform to on every write.
--
-- applications.schema_version counts the application's schema writes (PUT and DELETE) and
-- never goes back: a schema's version is the count at its write, so it runs on across a
-- delete. A schema write bumps it first, which locks the application's row; every
-- configuration write already updates that row (its revision) and only where schema_version
-- is still the one it validated against, so a write that raced a schema change matches no
-- row there and fails with SQLSTATE CS001 (see config_service_require_schema), to be retried.
--
-- Schema writes are announced on the change feed as s:<application id> (and so is the
-- application's delete), so every instance drops the schema it cached.

ALTER TABLE applications
  ADD COLUMN schema_version integer NOT NULL DEFAULT 0
    CONSTRAINT applications_schema_version_not_negative CHECK (schema_version >= 0);

CREATE TABLE application_schemas (
  application_id text        PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
  schema         jsonb       NOT NULL
    CONSTRAINT application_schemas_schema_is_object_or_boolean CHECK (jsonb_typeof(schema) IN ('object', 'boolean')),
  version        integer     NOT NULL CONSTRAINT application_schemas_version_positive CHECK (version >= 1),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  actor          text
);

CREATE FUNCTION config_service_require_schema(current boolean) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT current THEN
    RAISE EXCEPTION 'the application''s schema changed while the configuration was written'
      USING ERRCODE = 'CS001';
  END IF;
  RETURN true;
END
$$;

CREATE FUNCTION config_service_announce_schema_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('config_service_changes', '*');
  ELSIF TG_TABLE_NAME = 'applications' THEN
    PERFORM pg_notify('config_service_changes', 's:' || OLD.id);
  ELSE
    PERFORM pg_notify('config_service_changes', 's:' || COALESCE(NEW.application_id, OLD.application_id));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER application_schemas_announce_change
  AFTER INSERT OR UPDATE OR DELETE ON application_schemas
  FOR EACH ROW EXECUTE FUNCTION config_service_announce_schema_change();

CREATE TRIGGER application_schemas_announce_truncate
  AFTER TRUNCATE ON application_schemas
  FOR EACH STATEMENT EXECUTE FUNCTION config_service_announce_schema_change();

-- An application's cached "no schema" must go with the application.
CREATE TRIGGER applications_announce_schema_gone
  AFTER DELETE ON applications
  FOR EACH ROW EXECUTE FUNCTION config_service_announce_schema_change();
