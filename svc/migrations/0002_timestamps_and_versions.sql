-- When each row was created and last changed, and how many times it has been updated
-- (version 1 on create, +1 on every successful update).

ALTER TABLE applications
  ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN version    integer     NOT NULL DEFAULT 1 CONSTRAINT applications_version_positive CHECK (version >= 1);

ALTER TABLE configurations
  ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN version    integer     NOT NULL DEFAULT 1 CONSTRAINT configurations_version_positive CHECK (version >= 1);
