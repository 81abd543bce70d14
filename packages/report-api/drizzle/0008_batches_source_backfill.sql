-- Custom migration (drizzle-kit generate --custom): batches stored before `batches.source` existed.
-- Import batch ids were recognised by their `imp_` prefix; from now on by their source.
UPDATE `batches` SET `source` = 'import' WHERE substr(`batch_id`, 1, 4) = 'imp_';
