-- create users table
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-11-21 09:00:00+00:00
-- Branch Labels:
-- Depends On:
-- Transactional: yes

-- retort:upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    email VARCHAR(200) NOT NULL UNIQUE
);

-- retort:downgrade
DROP TABLE users;
