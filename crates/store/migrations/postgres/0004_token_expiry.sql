-- API tokens expire (`expires_at_ms`, milliseconds since the epoch; tokens made
-- before this migration never expire until revoked).
ALTER TABLE api_tokens ADD COLUMN expires_at_ms BIGINT;
CREATE INDEX api_tokens_user ON api_tokens (user_id);
