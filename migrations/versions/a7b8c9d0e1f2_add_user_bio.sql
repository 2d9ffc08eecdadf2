-- add users.bio
--
-- Revision ID: a7b8c9d0e1f2
-- Revises: f6a7b8c9d0e1
-- Create Date: 2026-11-21 10:00:00+00:00
-- Branch Labels:
-- Depends On:
-- Transactional: yes

-- retort:upgrade
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';

-- retort:downgrade
ALTER TABLE users DROP COLUMN bio;
