/**
 * The UTC stamp in every dump name (`date -u +%Y%m%dT%H%M%SZ`) as a glob. Dumps of one database
 * are matched as `<database>-<stamp>[.dump]`, never by a bare prefix: `app-*` would also match
 * `app-logs-...`, whose dumps retention would then delete and restore tests would pick.
 */
export const DUMP_STAMP_GLOB = '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z';
