-- First-boot initialisation of the shared PostgreSQL server.
--
-- Mounted into /docker-entrypoint-initdb.d/ of the postgres:16 container, so
-- the official entrypoint runs it exactly once: when the data volume is empty.
-- (It is NOT re-run against an existing volume; see docs/deployment.md.)
--
-- One server, three databases, two least-privilege roles:
--   temporal            owner of temporal + temporal_visibility (Temporal
--                       persistence and SQL visibility; schemas are created
--                       later by temporal-admin-tools / temporal-sql-tool)
--   joint_approval      owner of joint_approval (the application; its schema
--                       is created by `node dist/db/migrate.js`)
--
-- Passwords come from the container environment (psql >= 15 \getenv), so no
-- secret is written in this file. If a variable is missing, the
-- :'var' reference stays unexpanded and the script fails loudly.

\set ON_ERROR_STOP on

\getenv temporal_db_password TEMPORAL_DB_PASSWORD
\getenv app_db_password APP_DB_PASSWORD

CREATE ROLE temporal LOGIN PASSWORD :'temporal_db_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;

CREATE ROLE joint_approval LOGIN PASSWORD :'app_db_password';
CREATE DATABASE joint_approval OWNER joint_approval;

-- Nobody but the owner connects to an application database.
REVOKE ALL ON DATABASE temporal FROM PUBLIC;
REVOKE ALL ON DATABASE temporal_visibility FROM PUBLIC;
REVOKE ALL ON DATABASE joint_approval FROM PUBLIC;
