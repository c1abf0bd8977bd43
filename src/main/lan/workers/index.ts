export { createWorkerLanServer, type WorkerLanOptions } from './station-hub';
export { connectRedis, describeRedis, redisUrlProblem, RedisUnreachable, startPrivateRedis, PRIVATE_REDIS_SOCKET, type PrivateRedis, type RedisAddress, type RedisClient } from './redis-link';
export { runScreenWorker } from './worker-main';
export { workerConfigFromEnv, WORKER_ENV, type WorkerConfig } from './worker-config';
export { workerPool, type WorkerPool, type WorkerPoolOptions } from './worker-pool';
