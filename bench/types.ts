/** What every benchmark child reports: named numbers (ms, ns, bytes), plus sizes used. */
export type Metrics = Record<string, number>;

/** One system's implementation of one workload. `n` is the workload size (tasks, switches, timers). */
export type SystemBench = (n: number) => Promise<Metrics>;

/** The systems of one workload, by id (the id is what the runner passes to the child). */
export type Workload = Record<string, SystemBench>;
