package dev.ayb.matviews.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command takes, before or after the command's name ({@code ayb --database-url U matviews
 * list} or {@code ayb matviews list --database-url U}). Inherited options write to this one object
 * whichever command they were typed after. None declares a default: the environment and the config file are
 * consulted through {@link SettingsDefaults}, and the help never shows a default value, so no secret can appear
 * in it.
 */
final class GlobalOptions {
    @Option(names = "--database-url", paramLabel = "<jdbc-url>", scope = ScopeType.INHERIT, order = 100,
            description = {"PostgreSQL JDBC URL, e.g. jdbc:postgresql://localhost:5432/app. The user and password"
                    + " may be URL parameters. Env: " + ConnectionSettings.URL_VARIABLE + "."})
    String databaseUrl;

    @Option(names = "--user", paramLabel = "<user>", scope = ScopeType.INHERIT, order = 101,
            description = "Database user. Env: " + ConnectionSettings.USER_VARIABLE + ".")
    String user;

    @Option(names = "--password", paramLabel = "<password>", scope = ScopeType.INHERIT, order = 102,
            description = "Database password. Prefer the environment variable "
                    + ConnectionSettings.PASSWORD_VARIABLE + ": it stays out of the shell history.")
    String password;

    @Option(names = "--ayb-schema", paramLabel = "<schema>", scope = ScopeType.INHERIT, order = 103,
            description = "Schema of the library's own tables (default: ayb). Env: "
                    + ConnectionSettings.SCHEMA_VARIABLE + ".")
    String aybSchema;

    @Option(names = "--no-migrate", scope = ScopeType.INHERIT, order = 104,
            description = "Never create or change the library's tables: for a role without CREATE or a read-only"
                    + " one. A schema that lacks migrations is refused (exit " + ExitCode.SCHEMA_NOT_MIGRATED
                    + "). Env: " + CliContext.MIGRATE_VARIABLE + "=false.")
    boolean noMigrate;

    @Option(names = "--config", paramLabel = "<file>", scope = ScopeType.INHERIT, order = 105,
            description = "Properties file of default option values, e.g. database-url=..., user=..., no-migrate=true"
                    + " (default: ~/.ayb/cli.properties when it exists). Options and the environment win over it.")
    String config;

    @Option(names = "--change-capture", paramLabel = "<capture>", scope = ScopeType.INHERIT, order = 106,
            description = "How the writes of tables are captured when a command turns change tracking on: triggers"
                    + " (default) or wal (read from the write-ahead log; needs wal_level=logical and a role with"
                    + " REPLICATION that owns the tables). Env: " + ConnectionSettings.CAPTURE_VARIABLE + ".")
    String changeCapture;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, order = 107,
            description = "On error, print the stack trace too.")
    boolean verbose;
}
