-- Every committed change to an application or configuration is announced on the
-- `config_service_changes` channel, so each running instance can drop what it cached:
--   c:<configuration id>  the configuration changed or went away
--   a:<application id>    the application, or the set of its configurations, changed
--   *                     anything may have changed (TRUNCATE)
-- NOTIFY is transactional: listeners hear of a change only once it is committed.

CREATE FUNCTION config_service_announce_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('config_service_changes', '*');
  ELSIF TG_TABLE_NAME = 'configurations' THEN
    PERFORM pg_notify('config_service_changes', 'c:' || COALESCE(NEW.id, OLD.id));
    IF TG_OP <> 'UPDATE' THEN
      PERFORM pg_notify('config_service_changes', 'a:' || COALESCE(NEW.application_id, OLD.application_id));
    END IF;
  ELSE
    PERFORM pg_notify('config_service_changes', 'a:' || COALESCE(NEW.id, OLD.id));
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER applications_announce_change
  AFTER INSERT OR UPDATE OR DELETE ON applications
  FOR EACH ROW EXECUTE FUNCTION config_service_announce_change();

CREATE TRIGGER configurations_announce_change
  AFTER INSERT OR UPDATE OR DELETE ON configurations
  FOR EACH ROW EXECUTE FUNCTION config_service_announce_change();

CREATE TRIGGER applications_announce_truncate
  AFTER TRUNCATE ON applications
  FOR EACH STATEMENT EXECUTE FUNCTION config_service_announce_change();

CREATE TRIGGER configurations_announce_truncate
  AFTER TRUNCATE ON configurations
  FOR EACH STATEMENT EXECUTE FUNCTION config_service_announce_change();
