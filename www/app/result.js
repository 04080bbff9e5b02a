// The worker's result message in the page's words. The only place that knows the worker's field names:
// today's worker says `stageIndex` / `stageNames` for the lifecycle stage, the page says `lifecycle`
// everywhere (as the engine does). Pure: tests/js/page_result.test.mjs.

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
