import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { positional } from './executor.js';
import { sqliteExecutor } from './sqlite/executor.js';

describe('executor', () => {
  it('rewrites $n placeholders in order of appearance, repeats included', () => {
    expect(positional('SELECT $2, $1, $2')).toEqual({ text: 'SELECT ?, ?, ?', order: [1, 0, 1] });
  });

  it('binds out-of-order and repeated parameters and booleans on SQLite, and counts changes', async () => {
    const db = sqliteExecutor(new Database(':memory:'));
    await db.run('CREATE TABLE t (a TEXT, b TEXT, flag INTEGER)');
    expect(await db.run('INSERT INTO t VALUES ($2, $1, $3)', ['first', 'second', true])).toBe(1);
    expect(await db.all('SELECT a, b, flag FROM t WHERE a = $1 OR b = $1', ['second'])).toEqual([
      { a: 'second', b: 'first', flag: 1 },
    ]);
    expect(await db.run('DELETE FROM t WHERE flag = $1', [false])).toBe(0);
    expect(db.binary).toBe('');
  });
});
