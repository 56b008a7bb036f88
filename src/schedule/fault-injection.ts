/**
 * Crash testing: `FEEDFOLD_KILL_AT=label:n` makes the process SIGKILL itself the n-th time the run
 * passes the checkpoint `label` (n defaults to 1). Used by the crash-safety test to stop a run
 * at exact points (inside the store transaction, between the feed's temp write and its rename…);
 * without the variable a checkpoint does nothing.
 */
export function checkpointFromEnv(env: NodeJS.ProcessEnv): ((label: string) => void) | undefined {
  const spec = env.FEEDFOLD_KILL_AT;
  if (!spec) return undefined;
  const [label, nth] = spec.split(':');
  const target = Math.max(1, Number(nth ?? '1') || 1);
  let seen = 0;
  return (at: string) => {
    if (at !== label) return;
    seen++;
    if (seen === target) process.kill(process.pid, 'SIGKILL');
  };
}
