/** Kysely's view of migrations/0006_partnerships.sql (filled in with the migration). */
// biome-ignore lint/suspicious/noEmptyInterface: the tables arrive with the migration
export interface PartnershipTables {}
