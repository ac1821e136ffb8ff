/** True in dev builds and in builds made with QIVIEW_TEST_HOOKS=1 (e2e tests, benchmarks); see vite.config.ts. */
declare const __QIVIEW_TEST_HOOKS__: boolean;
