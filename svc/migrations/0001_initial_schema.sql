-- Applications and their named configurations. Ids are ULIDs in canonical upper case.

CREATE TABLE applications (
  id       text PRIMARY KEY CONSTRAINT applications_id_is_ulid CHECK (id ~ '^[0-7][0-9A-HJKMNP-TV-Z]{25}$'),
  name     varchar(256) NOT NULL CONSTRAINT applications_name_key UNIQUE,
  comments varchar(1024)
);

CREATE TABLE configurations (
  id             text PRIMARY KEY CONSTRAINT configurations_id_is_ulid CHECK (id ~ '^[0-7][0-9A-HJKMNP-TV-Z]{25}$'),
  application_id text NOT NULL REFERENCES applications (id),
  name           varchar(256) NOT NULL,
  comments       varchar(1024),
  config         jsonb NOT NULL CONSTRAINT configurations_config_is_object CHECK (jsonb_typeof(config) = 'object'),
  CONSTRAINT configurations_application_id_name_key UNIQUE (application_id, name)
);

CREATE INDEX configurations_application_id_idx ON configurations (application_id);
