/** What a sync of a repository applies, from its config; throwing an AppError fails the sync unstarted. */
export type SyncRunOptions = {
  pathFilter?: (path: string) => boolean;
  maxFileSizeBytes?: number;
  /** digest of the config in effect (recorded on the sync; a changed digest is never "unchanged") */
  configDigest?: string | null;
};
