-- Every write of a configuration appends one immutable version, numbered with the next
-- revision of its application (the application's change counter: 1, 2, 3 … in commit order,
-- no gaps). Versions outlive a deleted configuration (its last one is a tombstone) and go
-- only with their application. Each appended version is announced on the change feed as
--   r:<application id>:<revision>

ALTER TABLE applications
  ADD COLUMN revision        bigint NOT NULL DEFAULT 0
    CONSTRAINT applications_revision_not_negative CHECK (revision >= 0),
  ADD COLUMN pruned_revision bigint NOT NULL DEFAULT 0
    CONSTRAINT applications_pruned_revision_below_revision CHECK (pruned_revision BETWEEN 0 AND revision);

COMMENT ON COLUMN applications.pruned_revision IS
  'the highest revision retention (HISTORY_KEEP_VERSIONS) ever removed: every change after it is still kept';

-- Counting a configuration write is not a change of the application's own representation:
-- announcing it would drop every cached read of the application on every configuration write.
DROP TRIGGER applications_announce_change ON applications;
CREATE TRIGGER applications_announce_change
  AFTER INSERT OR DELETE OR UPDATE OF name, comments, version ON applications
  FOR EACH ROW EXECUTE FUNCTION config_service_announce_change();

CREATE TABLE configuration_versions (
  application_id   text          NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  configuration_id text          NOT NULL,
  version          integer       NOT NULL CONSTRAINT configuration_versions_version_positive CHECK (version >= 1),
  revision         bigint        NOT NULL CONSTRAINT configuration_versions_revision_positive CHECK (revision >= 1),
  op               text          NOT NULL
    CONSTRAINT configuration_versions_op_known CHECK (op IN ('create', 'update', 'delete', 'restore')),
  name             varchar(256)  NOT NULL,
  comments         varchar(1024),
  config           jsonb         NOT NULL
    CONSTRAINT configuration_versions_config_is_object CHECK (jsonb_typeof(config) = 'object'),
  actor            text,
  created_at       timestamptz   NOT NULL DEFAULT now(),
  -- Its index reads a configuration's versions newest first (scanned backwards).
  CONSTRAINT configuration_versions_pkey PRIMARY KEY (configuration_id, version),
  -- Its index reads an application's changes after a revision, in revision order.
  CONSTRAINT configuration_versions_application_id_revision_key UNIQUE (application_id, revision)
);

-- Each configuration's current state becomes its one version, numbered as the configuration
-- is now; revisions 1..n per application in order of creation.
INSERT INTO configuration_versions
  (application_id, configuration_id, version, revision, op, name, comments, config, actor, created_at)
SELECT c.application_id, c.id, c.version,
       row_number() OVER (PARTITION BY c.application_id ORDER BY c.created_at, c.id),
       'create', c.name, c.comments, c.config, NULL, c.updated_at
FROM configurations c;

UPDATE applications a SET revision = counted.n
FROM (SELECT application_id, count(*) AS n FROM configurations GROUP BY application_id) counted
WHERE a.id = counted.application_id;

CREATE FUNCTION config_service_announce_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('config_service_changes', 'r:' || NEW.application_id || ':' || NEW.revision);
  RETURN NULL;
END
$$;

CREATE TRIGGER configuration_versions_announce_revision
  AFTER INSERT ON configuration_versions
  FOR EACH ROW EXECUTE FUNCTION config_service_announce_revision();
