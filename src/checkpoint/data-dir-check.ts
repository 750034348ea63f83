import { DataDamagedError } from './data-damage.ts';
import { storeFileOf } from './data-dir.ts';
import { identityFileOf, readIdentityFile } from './identity-file.ts';
import { checkStoreFile, storeFileExists } from './store-file-check.ts';

/**
 * What can be checked in a data directory before its data file is opened (mapped): that a data
 * directory with an identity file still has its data file, and that the data file's size and
 * meta pages are sound (store-file-check.ts). Throws DataDamagedError; returns whether there is
 * a data file to open (none: a new store).
 */
export function checkDataDir(dataDir: string): { readonly dataFileExists: boolean } {
  const file = storeFileOf(dataDir);
  const identity = readIdentityFile(dataDir);
  if (!storeFileExists(file)) {
    if (identity !== undefined) {
      throw new DataDamagedError(
        `${file}: the data file is missing, but ${identityFileOf(dataDir)} says this directory holds store ${identity.storeId} (created ${identity.createdAt}); starting would create an empty store in its place`,
      );
    }
    return { dataFileExists: false };
  }
  checkStoreFile(file);
  return { dataFileExists: true };
}
