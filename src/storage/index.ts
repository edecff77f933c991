/** The storage layer's public API (see each module's header for the details). */
export { createAutosaver, type Autosaver, type AutosaverOptions } from './autosave';
export {
  createBrowserStore,
  createIndexedDbStore,
  createMemoryStore,
  createOpfsStore,
  type BlobStore,
  type BlobStoreKind,
  type BrowserStoreChoice,
} from './blob-store';
export { StorageError, isStorageError, type StorageErrorCode } from './errors';
export {
  createTabGuard,
  type ChannelConstructor,
  type ChannelLike,
  type LockManagerLike,
  type TabConflict,
  type TabGuard,
  type TabGuardOptions,
  type TabRole,
} from './tab-guard';
export {
  MAX_RECENT,
  createWorkspaceStore,
  type DataFileEntry,
  type NotebookMeta,
  type RecentNotebook,
  type WorkspaceStore,
} from './workspace-store';
export { MAX_TRUSTED, contentHash, createTrustStore, type TrustStore } from './trust-store';
export { browserSyncStorage, createUnsavedJournal, type JournalEntry, type SyncStorage, type UnsavedJournal } from './unsaved-journal';
