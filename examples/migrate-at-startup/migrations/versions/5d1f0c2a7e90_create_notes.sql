-- create notes
--
-- Revision ID: 5d1f0c2a7e90
-- Revises:
-- Create Date: 2026-11-29 10:00:00+00:00
-- Branch Labels:
-- Depends On:
-- Transactional: yes

-- retort:upgrade
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    body VARCHAR(500) NOT NULL
);

-- retort:downgrade
DROP TABLE notes;
