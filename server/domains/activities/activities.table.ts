/** Kysely's view of migrations/0005_activities.sql (filled in with the migration). */
// biome-ignore lint/suspicious/noEmptyInterface: the tables arrive with the migration
export interface ActivityTables {}
