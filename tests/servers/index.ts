/** Real servers for integration tests, started on loopback and stopped in teardown. */
export { ServerUnavailable, freePort } from './process-helpers';
export { startOrthanc, orthancUnavailableReason, type OrthancServer } from './start-orthanc';
export { startRedis, redisUnavailableReason, type RedisServer } from './start-redis';
export { startPostgres, postgresUnavailableReason, type PostgresServer } from './start-postgres';
