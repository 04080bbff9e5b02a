// The worker's result message in the page's words. The worker sends the engine's getter names
// (`lifecycleIndex` / `lifecycleNames`); results drawn by hand in older tests may still say `stageIndex` /
// `stageNames`, which are read as the lifecycle stage. Pure: tests/js/page_result.test.mjs.

/** The result with the lifecycle fields under their one name (`lifecycleIndex`, `lifecycleNames`). */
export function fromWorker(payload) {
  const { stageNames, ...rest } = payload;
  const { stageIndex, ...columns } = payload.columns ?? {};
  // The older name wins when both are there: it is what this worker sent (or a test drew by hand).
  const lifecycleIndex = stageIndex ?? columns.lifecycleIndex;
  const lifecycleNames = stageNames ?? payload.lifecycleNames;
  return {
    ...rest,
    columns: { ...columns, ...(lifecycleIndex ? { lifecycleIndex } : {}) },
    ...(lifecycleNames ? { lifecycleNames } : {}),
  };
}
