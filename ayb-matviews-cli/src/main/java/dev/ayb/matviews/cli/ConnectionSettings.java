package dev.ayb.matviews.cli;

import dev.ayb.matviews.IdentifierValidator;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.ChangeCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Where to connect, from the options or else the environment (an option always wins). The password is
 * kept only to be handed to the pool: {@link #location()} and {@link #toString()}, the only texts built
 * from these settings for people to read, never include it.
 *
 * @param user     null to use the URL's {@code user} parameter (or the driver's default)
 * @param password      null to use the URL's {@code password} parameter, if any
 * @param changeCapture how commands that turn tracking on capture the writes of tables
 */
record ConnectionSettings(String url, String user, String password, String aybSchema, String location,
                          String urlPassword, ChangeCapture changeCapture) {
    static final String URL_VARIABLE = "AYB_DATABASE_URL";
    static final String USER_VARIABLE = "AYB_DATABASE_USER";
    static final String PASSWORD_VARIABLE = "AYB_DATABASE_PASSWORD";
    static final String SCHEMA_VARIABLE = "AYB_SCHEMA";
    static final String CAPTURE_VARIABLE = "AYB_CHANGE_CAPTURE";

    /**
     * @throws CliFailure a usage error when no URL is given or it is not a PostgreSQL JDBC URL
     * @throws dev.ayb.matviews.MatviewException when the library schema is not a valid identifier
     */
    static ConnectionSettings resolve(GlobalOptions options, Map<String, String> env) {
        String url = firstGiven(options.databaseUrl, env.get(URL_VARIABLE));
        if (url == null) {
            throw CliFailure.usage("no database URL: pass --database-url or set " + URL_VARIABLE);
        }
        // The driver's own parser: it accepts exactly what the driver will. The URL is not echoed back,
        // because it may carry the password.
        Properties parsed = Driver.parseURL(url, null);
        if (parsed == null) {
            throw CliFailure.usage("the database URL is not a PostgreSQL JDBC URL; expected"
                    + " jdbc:postgresql://host:port/database");
        }
        int query = url.indexOf('?');
        if ((query < 0 ? url : url.substring(0, query)).contains("@")) {
            // libpq's user:password@host form: the driver would read it as a host name and echo it back.
            throw CliFailure.usage("the database URL has a user or password before the host; pass them as"
                    + " ?user=...&password=..., with --user and --password, or in the environment");
        }
        String schema = firstGiven(options.aybSchema, env.get(SCHEMA_VARIABLE));
        return new ConnectionSettings(url,
                firstGiven(options.user, env.get(USER_VARIABLE)),
                firstGiven(options.password, env.get(PASSWORD_VARIABLE)),
                IdentifierValidator.validate(schema == null ? AybMatviews.DEFAULT_SCHEMA : schema),
                parsed.getProperty("PGHOST") + ":" + parsed.getProperty("PGPORT") + "/"
                        + databaseName(parsed.getProperty("PGDBNAME")), parsed.getProperty("password"),
                changeCapture(firstGiven(options.changeCapture, env.get(CAPTURE_VARIABLE))));
    }

    private static ChangeCapture changeCapture(String given) {
        if (given == null) {
            return ChangeCapture.TRIGGERS;
        }
        for (ChangeCapture capture : ChangeCapture.values()) {
            if (capture.name().equalsIgnoreCase(given.trim())) {
                return capture;
            }
        }
        throw CliFailure.usage("--change-capture must be triggers or wal, not '" + given.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_-]", "?") + "'");
    }

    /** A mistyped "db&password=..." (no '?') ends up in the name: show only what precedes it. */
    private static String databaseName(String name) {
        if (name == null) {
            return "";
        }
        int cut = name.length();
        for (char separator : new char[] {'&', ';'}) {
            int at = name.indexOf(separator);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        return name.substring(0, cut);
    }

    /** Every password this command knows of, to be blanked out of any text it prints. */
    List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        for (String secret : new String[] {password, urlPassword}) {
            if (secret != null && !secret.isEmpty()) {
                secrets.add(secret);
            }
        }
        return secrets;
    }

    @Override
    public String toString() {
        return "ConnectionSettings[" + location + ", user=" + user + ", ayb schema=" + aybSchema + "]";
    }

    private static String firstGiven(String option, String environment) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        return environment == null || environment.isBlank() ? null : environment;
    }
}
