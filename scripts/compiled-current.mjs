// Whether lib/ (the compiled CLI) is at least as new as every file of src/: bin/relance.js runs it only then.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function compiledIsCurrent(root) {
  let built;
  try {
    built = statSync(join(root, 'lib', '.built')).mtimeMs;
  } catch {
    return false;
  }
  let entries;
  try {
    entries = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true });
  } catch {
    return true; // an installed package may ship lib/ without its sources
  }
  for (const entry of entries) {
    if (entry.isFile() && statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs > built) return false;
  }
  return true;
}
