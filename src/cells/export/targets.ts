import { createDirectoryTarget, canPickFolder, opfsExportFolder, pickExportFolder, type ExportDirectory } from '../../storage/export/directory-target';
import { openDownload } from '../../storage/export/download';
import type { ExportTarget } from '../../storage/export/target';
import { createZipTarget } from '../../storage/export/zip-target';
import type { ExportDestination, ExportSpec } from './options';

/** Makes the target an export writes to. The export cell and the dialog get one; tests pass a memory target. */
export type TargetFactory = (spec: ExportSpec, context: { sourceLabel: string; key: string }) => ExportTarget;

/** `to=` when the cell does not say: a folder where the browser can pick one, else a zip (DESIGN §3). */
export function defaultDestination(): ExportDestination {
  return canPickFolder() ? 'folder' : 'zip';
}

export function safeFileStem(label: string): string {
  return label.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^_+|_+$/g, '') || 'export';
}

/**
 * Folders picked for a cell (or the dialog) in this session: running the cell again writes to the same
 * folder without asking, as long as the browser still grants access.
 */
const pickedFolders = new Map<string, ExportDirectory>();

export function forgetPickedFolder(key: string): void {
  pickedFolders.delete(key);
}

export function pickedFolderName(key: string): string | undefined {
  return pickedFolders.get(key)?.name;
}

export const browserTargets: TargetFactory = (spec, { sourceLabel, key }) => {
  const to = spec.to ?? defaultDestination();
  if (to === 'zip') {
    const fileName = spec.fileName ?? `${safeFileStem(sourceLabel)}.zip`;
    return createZipTarget(() => openDownload(fileName.endsWith('.zip') ? fileName : `${fileName}.zip`, { type: 'application/zip' }), {
      description: `${fileName} (download)`,
    });
  }
  if (to === 'opfs') {
    const path = spec.opfsPath ?? `exports/${safeFileStem(sourceLabel)}`;
    return createDirectoryTarget(() => opfsExportFolder(path), { kind: 'opfs', describe: () => `browser storage (OPFS) ${path}` });
  }
  return createDirectoryTarget(
    async () => {
      const known = pickedFolders.get(key);
      if (known) return known;
      const picked = await pickExportFolder();
      pickedFolders.set(key, picked);
      return picked;
    },
    { kind: 'folder', describe: (dir) => (dir ? `folder "${dir.name}"` : 'a folder you choose') },
  );
};
