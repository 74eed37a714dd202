/** Where bundles of the CLI are kept. */
export declare const CACHE: string;
/** A stamp of the files under `dir` (default: the sources): path, size and modification time of each. */
export declare function sourceStamp(dir?: string): string;
/** The bundle file for a stamp. */
export declare function bundlePath(stamp: string): string;
/** Starts the CLI: from the bundle of the current sources, made if need be, or through tsx. */
export declare function launch(): Promise<void>;
