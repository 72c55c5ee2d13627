package dev.ayb.matviews.testkit;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code jdbc:postgresql://hosts/database?parameters} URL taken apart, so that URLs for other databases on the same
 * server can be derived from it (each test class gets its own database).
 */
record PostgresJdbcUrl(String hosts, String database, List<String> parameters) {

    private static final String PREFIX = "jdbc:postgresql://";
    /** Credentials travel separately, so derived URLs carry neither and cannot contradict them. */
    private static final Set<String> CREDENTIAL_PARAMETERS = Set.of("user", "password");

    PostgresJdbcUrl {
        parameters = List.copyOf(parameters);
    }

    static PostgresJdbcUrl parse(String url) {
        if (url == null || !url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("Expected a URL of the form jdbc:postgresql://host:port/database, got: "
                    + url);
        }
        String rest = url.substring(PREFIX.length());
        int queryStart = rest.indexOf('?');
        String query = queryStart < 0 ? "" : rest.substring(queryStart + 1);
        String hostsAndDatabase = queryStart < 0 ? rest : rest.substring(0, queryStart);
        int slash = hostsAndDatabase.indexOf('/');
        String hosts = slash < 0 ? hostsAndDatabase : hostsAndDatabase.substring(0, slash);
        String database = slash < 0 ? "" : decode(hostsAndDatabase.substring(slash + 1));
        List<String> parameters = new ArrayList<>();
        for (String parameter : query.split("&")) {
            if (!parameter.isEmpty()) {
                parameters.add(parameter);
            }
        }
        return new PostgresJdbcUrl(hosts, database, parameters);
    }

    /** A URL parameter's decoded value, e.g. {@code user}. */
    Optional<String> parameter(String name) {
        for (String parameter : parameters) {
            if (key(parameter).equals(name)) {
                int equals = parameter.indexOf('=');
                return Optional.of(equals < 0 ? "" : decode(parameter.substring(equals + 1)));
            }
        }
        return Optional.empty();
    }

    /** The same server and options, another database, no credentials. */
    String forDatabase(String otherDatabase) {
        StringBuilder url = new StringBuilder(PREFIX).append(hosts).append('/')
                .append(URLEncoder.encode(otherDatabase, StandardCharsets.UTF_8));
        char separator = '?';
        for (String parameter : parameters) {
            if (!CREDENTIAL_PARAMETERS.contains(key(parameter))) {
                url.append(separator).append(parameter);
                separator = '&';
            }
        }
        return url.toString();
    }

    private static String key(String parameter) {
        int equals = parameter.indexOf('=');
        return equals < 0 ? parameter : parameter.substring(0, equals);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
