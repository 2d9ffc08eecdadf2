-- create posts table
--
-- Revision ID: b2c3d4e5f6a7
-- Revises: a1b2c3d4e5f6
-- Create Date: 2026-11-21 09:10:00+00:00
-- Branch Labels:
-- Depends On:
-- Transactional: yes

-- retort:upgrade
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    title VARCHAR(200) NOT NULL,
    body TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ix_posts_user_id ON posts (user_id);

-- A first author and post, so the data migrations below have rows to move.
INSERT INTO users (id, name, email) VALUES (1, 'Ada', 'ada@example.org');
INSERT INTO posts (id, user_id, title) VALUES (1, 1, 'Hello, World!');
INSERT INTO posts (id, user_id, title) VALUES (2, 1, 'Notes on the Analytical Engine');

-- retort:downgrade
DROP INDEX ix_posts_user_id;
DROP TABLE posts;
DELETE FROM users WHERE id = 1;
