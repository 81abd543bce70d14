-- Custom migration (drizzle-kit generate --custom): keys of sites created before issue 16 get a random id
-- (the label `initial` comes from the column default). They keep working: the hash is unchanged.
UPDATE `api_keys` SET `id` = 'key_' || lower(hex(randomblob(9))) WHERE `id` IS NULL;
