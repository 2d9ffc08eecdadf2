-- add posts.slug
--
-- Revision ID: d4e5f6a7b8c9
-- Revises: b2c3d4e5f6a7
-- Create Date: 2026-11-21 09:30:00+00:00
-- Branch Labels: content
-- Depends On:
-- Transactional: yes

-- retort:upgrade
ALTER TABLE posts ADD COLUMN slug VARCHAR(200);

-- retort:downgrade
ALTER TABLE posts DROP COLUMN slug;
