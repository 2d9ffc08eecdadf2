-- add notes.created_at
--
-- Revision ID: 8b3e6a41c2d7
-- Revises: 5d1f0c2a7e90
-- Create Date: 2026-11-29 10:05:00+00:00
-- Branch Labels:
-- Depends On:
-- Transactional: yes

-- retort:upgrade
ALTER TABLE notes ADD COLUMN created_at VARCHAR(40);
CREATE INDEX notes_created_at ON notes (created_at);

-- retort:downgrade
DROP INDEX notes_created_at;
ALTER TABLE notes DROP COLUMN created_at;
