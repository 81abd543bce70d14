import { defineConfig } from 'drizzle-kit';

// The PostgreSQL store's migrations (`db:generate:pg`); the SQLite ones come from drizzle.config.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/postgres/schema.ts',
  out: './drizzle-pg',
});
