-- The example's tables, in the dev Postgres (pipectl dev postgres): run once with psql -f setup.sql.
-- Table A is customers in the database postgres; the replica (table B) is created by the sink in the database replica.
CREATE TABLE IF NOT EXISTS customers (
  id         serial PRIMARY KEY,
  email      text NOT NULL,
  name       text,
  balance    numeric(12,2) NOT NULL DEFAULT 0,
  signed_up  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO customers (email, name, balance) SELECT 'ada@example.com', 'Ada', 10.50 WHERE NOT EXISTS (SELECT 1 FROM customers);
SELECT 'CREATE DATABASE replica' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'replica') \gexec
