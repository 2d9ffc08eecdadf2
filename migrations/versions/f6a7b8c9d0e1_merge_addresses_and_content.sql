-- merge addresses and content
--
-- Revision ID: f6a7b8c9d0e1
-- Revises: c3d4e5f6a7b8, e5f6a7b8c9d0
-- Create Date: 2026-11-21 09:50:00+00:00
-- Branch Labels:
-- Depends On:
-- Transactional: yes

-- retort:upgrade
-- Both branches are in: every post has a slug now, so make it unique.
CREATE UNIQUE INDEX ux_posts_slug ON posts (slug);

-- retort:downgrade
DROP INDEX ux_posts_slug;
