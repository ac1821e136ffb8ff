import { describe, expect, it } from 'vitest';
import { dbUrlHasPassword, dbUrlWithoutPassword, workerDbUrl } from './db-credentials';

describe('database credentials on the queue', () => {
  it('strips the password of postgres URLs and keeps everything else', () => {
    expect(dbUrlWithoutPassword('postgres://qiview:s3cr%40t@db.example:6543/results?sslmode=require')).toBe(
      'postgres://qiview@db.example:6543/results?sslmode=require',
    );
    expect(dbUrlWithoutPassword('postgresql://qiview@db/results')).toBe('postgresql://qiview@db/results');
    expect(dbUrlWithoutPassword('/data/library.sqlite')).toBe('/data/library.sqlite');
    expect(dbUrlHasPassword('postgres://a:b@h/d')).toBe(true);
    expect(dbUrlHasPassword('postgres://a@h/d')).toBe(false);
    expect(dbUrlHasPassword('/x.sqlite')).toBe(false);
  });

  it("a worker's --db must name the run's database; without it the run's URL is used", () => {
    const run = 'postgres://qiview@db.example/results';
    expect(workerDbUrl(run)).toBe(run);
    expect(workerDbUrl(run, 'postgres://qiview:pw@db.example:5432/results')).toBe(
      'postgres://qiview:pw@db.example:5432/results',
    );
    expect(() => workerDbUrl(run, 'postgres://qiview:pw@db.example/other')).toThrow(/another database/);
    expect(() => workerDbUrl(run, 'postgres://admin:pw@db.example/results')).toThrow(/another database/);
    expect(() => workerDbUrl(run, 'postgres://qiview:pw@elsewhere/results')).toThrow(/another database/);
    expect(() => workerDbUrl('/data/library.sqlite', 'postgres://qiview:pw@db.example/results')).toThrow(
      /PostgreSQL runs/,
    );
  });
});
