/**
 * Who reads: the company and the représentant a restricted collector is limited to (null: every customer). A read
 * use case takes it so that a collector sees only its représentant's customers, whatever the entry point.
 */
export type Viewer = { companyId: string; salesRep: string | null };
