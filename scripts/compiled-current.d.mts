/** Whether lib/ (the compiled CLI) is at least as new as every file of src/. */
export function compiledIsCurrent(root: string): boolean;
