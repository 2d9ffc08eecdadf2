-- create addresses table
--
-- Revision ID: c3d4e5f6a7b8
-- Revises: b2c3d4e5f6a7
-- Create Date: 2026-11-21 09:20:00+00:00
-- Branch Labels: addresses
-- Depends On:
-- Transactional: yes

-- retort:upgrade
CREATE TABLE addresses (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    street VARCHAR(200) NOT NULL,
    city VARCHAR(100) NOT NULL
);
CREATE INDEX ix_addresses_user_id ON addresses (user_id);

-- retort:downgrade
DROP INDEX ix_addresses_user_id;
DROP TABLE addresses;
