/** Share of the machine's memory the simulating threads' heaps may take in all. */
export declare const HEAP_SHARE: number;
/** The machine's memory in bytes: its physical memory, or the cgroup's limit where lower. */
export declare function machineMemory(): number;
/** The threads that simulate for these CLI arguments: `--workers N`, else the core count. */
export declare function simulatingThreads(args: readonly string[], cores?: number): number;
/** The heap limit (MiB) each thread gets. */
export declare function fittingHeapMb(args: readonly string[], memory?: number, cores?: number): number;
/** True when the user chose a heap limit (node's command line or NODE_OPTIONS). */
export declare function heapChosen(execArgv: readonly string[], nodeOptions: string | undefined): boolean;
/** Runs the CLI in a child with a fitting heap limit when it should; false when this process should run it. */
export declare function relaunch(): Promise<boolean>;
