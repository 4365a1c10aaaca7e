-- The example's table, in the dev Postgres (pipectl dev postgres): run once with psql -f setup.sql.
CREATE TABLE IF NOT EXISTS customers (
  id    serial PRIMARY KEY,
  email text NOT NULL,
  name  text
);
INSERT INTO customers (email, name) SELECT 'ada@example.com', 'Ada' WHERE NOT EXISTS (SELECT 1 FROM customers);
