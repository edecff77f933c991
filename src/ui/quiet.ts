/**
 * Resolves once `busy()` has answered false at every check for `quietMs` in a row (checked every
 * `everyMs`). The page's background downloads (the offline cache, the code editor) wait for this, so
 * they do not compete with a file being loaded or a cell running on a machine with few cores.
 */
export function whenQuiet(busy: () => boolean, quietMs: number, everyMs: number): Promise<void> {
  return new Promise((resolve) => {
    let quietSince: number | undefined;
    const check = () => {
      const now = performance.now();
      if (busy()) quietSince = undefined;
      else quietSince ??= now;
      if (quietSince !== undefined && now - quietSince >= quietMs) resolve();
      else setTimeout(check, everyMs);
    };
    check();
  });
}
