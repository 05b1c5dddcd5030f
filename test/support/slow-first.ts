import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest (process kills, browsers, CLI stories), slowest first. Started first, they run
 * while the other workers share the short files out; left to the default order (file size on a fresh clone, where
 * vitest has no timings yet) one of them could start last and keep a single worker busy at the end of the run.
 */
export const SLOW_FILES = [
  'test/e2e/workspace.test.ts',
  'test/e2e/web.test.ts',
  'test/proof/crash-run.test.ts',
  'test/cli/cli.test.ts',
  'test/proof/pg-restart.test.ts',
  'test/http/security.test.ts',
  'test/mail/crash.test.ts',
  'test/mail/mail-cli.test.ts',
  'test/documents/cli.test.ts',
  'test/e2e/actions.test.ts',
  'test/cli/dunning-cli.test.ts',
  'test/e2e/xss.test.ts',
  'test/e2e/bank.test.ts',
];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = SLOW_FILES.findIndex((slow) => file.moduleId.endsWith(slow));
      return index < 0 ? SLOW_FILES.length : index;
    };
    // Array.prototype.sort is stable: the other files keep vitest's own order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
