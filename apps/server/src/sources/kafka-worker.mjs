// Entry of the Kafka worker thread. A worker does not get the TypeScript loader of the main thread (tsx sets it
// up for the main thread only, and the test runner has its own), so when the TypeScript module cannot be
// loaded as is, tsx is registered for this thread and the module imported again (under a new URL: Node caches
// the failed attempt).
try {
  await import('./kafka-worker.ts');
} catch (e) {
  if (e?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
  const { register } = await import('tsx/esm/api');
  register();
  await import('./kafka-worker.ts?tsx');
}
