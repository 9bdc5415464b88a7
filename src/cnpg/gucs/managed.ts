/**
 * Parameters CloudNativePG sets itself, with where the setting belongs instead. Its admission
 * webhook refuses these in `spec.postgresql.parameters` ("Can't set fixed configuration
 * parameter"), or the operator overwrites them when it writes the configuration: either way a
 * value here never reaches PostgreSQL. From CloudNativePG's pkg/postgres/configuration.go
 * (`FixedConfigurationParameters`, fixed and blocked alike, and the mandatory `allow_alter_system`).
 * @see https://cloudnative-pg.io/documentation/current/postgresql_conf/#fixed-parameters
 */
const OPERATOR = 'no field: CloudNativePG sets it for its instance manager';
const LOGGING = 'no field: CloudNativePG collects the logs and writes them to stdout as JSON';
const BACKUP = 'the backup methods: CnpgCluster.backupTo(objectStore) (barman-cloud plugin) writes archive_command and restore_command';
const RECOVERY = 'the CnpgCluster `recovery` prop (recovery.target) for a point-in-time recovery';
const TLS = 'CloudNativePG\'s certificates (spec.certificates, not a CnpgCluster prop): it configures SSL from them';
const REPLICA = 'CloudNativePG\'s replica clusters (spec.replica, not a CnpgCluster prop): it sets up streaming itself';

export const CNPG_MANAGED: { readonly [name: string]: string } = {
  'allow_alter_system': 'spec.postgresql.enableAlterSystem (not a CnpgCluster prop; CloudNativePG writes allow_alter_system from it)',
  'allow_system_table_mods': OPERATOR,
  'archive_cleanup_command': BACKUP,
  'archive_command': BACKUP,
  'archive_mode': BACKUP,
  'bonjour': OPERATOR,
  'bonjour_name': OPERATOR,
  'cluster_name': 'the CnpgCluster `name` prop: CloudNativePG sets cluster_name to the Cluster\'s name',
  'config_file': OPERATOR,
  'data_directory': OPERATOR,
  'data_sync_retry': OPERATOR,
  'event_source': OPERATOR,
  'external_pid_file': OPERATOR,
  'hba_file': 'the CnpgCluster `pgHba` prop',
  'hot_standby': OPERATOR,
  'ident_file': 'spec.postgresql.pg_ident (not a CnpgCluster prop)',
  'jit_provider': OPERATOR,
  'listen_addresses': 'no field: CloudNativePG listens on all addresses; reach the instances through the -rw/-ro/-r Services',
  'log_destination': LOGGING,
  'log_directory': LOGGING,
  'log_file_mode': LOGGING,
  'log_filename': LOGGING,
  'log_rotation_age': LOGGING,
  'log_rotation_size': LOGGING,
  'log_truncate_on_rotation': LOGGING,
  'logging_collector': LOGGING,
  'port': 'no field: CloudNativePG listens on 5432 behind its Services',
  'primary_conninfo': REPLICA,
  'primary_slot_name': REPLICA,
  'promote_trigger_file': 'no field: CloudNativePG promotes a standby itself (kubectl cnpg promote)',
  'recovery_end_command': BACKUP,
  'recovery_min_apply_delay': 'spec.replica.minApplyDelay of a replica cluster (not a CnpgCluster prop)',
  'recovery_target': RECOVERY,
  'recovery_target_action': RECOVERY,
  'recovery_target_inclusive': RECOVERY,
  'recovery_target_lsn': RECOVERY,
  'recovery_target_name': RECOVERY,
  'recovery_target_time': RECOVERY,
  'recovery_target_timeline': RECOVERY,
  'recovery_target_xid': RECOVERY,
  'restart_after_crash': OPERATOR,
  'restore_command': BACKUP,
  'shared_preload_libraries': 'spec.postgresql.shared_preload_libraries (CnpgCluster loads pg_stat_statements there; CloudNativePG adds pgaudit, '
    + 'auto_explain and pg_failover_slots itself when parameters of theirs, e.g. auto_explain.log_min_duration, are set)',
  'ssl': TLS,
  'ssl_ca_file': TLS,
  'ssl_cert_file': TLS,
  'ssl_crl_file': TLS,
  'ssl_dh_params_file': TLS,
  'ssl_ecdh_curve': TLS,
  'ssl_key_file': TLS,
  'ssl_passphrase_command': TLS,
  'ssl_passphrase_command_supports_reload': TLS,
  'ssl_prefer_server_ciphers': TLS,
  'stats_temp_directory': OPERATOR,
  'synchronized_standby_slots': 'spec.replicationSlots (not a CnpgCluster prop): CloudNativePG sets it from its slot synchronization',
  'synchronous_standby_names': 'the CnpgCluster `synchronous` prop ({ method, number, dataDurability })',
  'syslog_facility': LOGGING,
  'syslog_ident': LOGGING,
  'syslog_sequence_numbers': LOGGING,
  'syslog_split_messages': LOGGING,
  'temp_tablespaces': 'spec.tablespaces with temporary: true (not a CnpgCluster prop)',
  'unix_socket_directories': OPERATOR,
  'unix_socket_group': OPERATOR,
  'unix_socket_permissions': OPERATOR,
  // Extension parameters CloudNativePG fills from spec.replicationSlots.
  'pg_failover_slots.primary_dsn': 'no field: CloudNativePG sets it when pg_failover_slots is used',
  'pg_failover_slots.standby_slot_names': 'spec.replicationSlots (not a CnpgCluster prop)',
};

/**
 * Settings of the current transaction: PostgreSQL takes them in a file but cannot apply them
 * there (`transaction_isolation` reports "setting could not be applied"); the `default_` ones are
 * what a configuration sets.
 */
export const PER_TRANSACTION: { readonly [name: string]: string } = {
  transaction_isolation: 'default_transaction_isolation',
  transaction_read_only: 'default_transaction_read_only',
  transaction_deferrable: 'default_transaction_deferrable',
};
