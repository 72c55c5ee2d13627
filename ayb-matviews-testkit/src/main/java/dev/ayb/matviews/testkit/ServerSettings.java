package dev.ayb.matviews.testkit;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code postgresql.conf} settings the embedded server starts with, passed as {@code -c name=value}. */
final class ServerSettings {

    private final Map<String, String> settings = new LinkedHashMap<>();

    /** Tuned for throw-away test data, many short connections, and containers. */
    static ServerSettings forTests() {
        ServerSettings defaults = new ServerSettings();
        // TCP only: socket files would need a directory the server user may write to, and paths have length limits.
        defaults.set("listen_addresses", "localhost");
        defaults.set("unix_socket_directories", "");
        // Durability is pointless for data that dies with the test run, and costly.
        defaults.set("fsync", "off");
        defaults.set("synchronous_commit", "off");
        defaults.set("full_page_writes", "off");
        // Several pools (one per simulated application instance) per test class add up.
        defaults.set("max_connections", "300");
        // Change capture from the WAL (logical decoding) is tested on the same server; a slot per test database
        // that uses it, and test classes run side by side.
        defaults.set("wal_level", "logical");
        defaults.set("max_replication_slots", "64");
        defaults.set("max_wal_senders", "64");
        defaults.set("shared_buffers", "128MB");
        // Containers often get a small /dev/shm (Docker: 64 MB), where the default (posix) type can fail even at
        // start-up; mmap keeps dynamic shared memory in files under the data directory instead.
        defaults.set("dynamic_shared_memory_type", "mmap");
        return defaults;
    }

    void set(String name, String value) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
            throw new IllegalArgumentException("Not a PostgreSQL setting name: " + name);
        }
        settings.put(name, value);
    }

    ServerSettings copy() {
        ServerSettings copy = new ServerSettings();
        copy.settings.putAll(settings);
        return copy;
    }

    /**
     * The value of {@code pg_ctl -o}. pg_ctl hands that string to {@code /bin/sh}, so every argument is single-quoted
     * (an empty value such as {@code unix_socket_directories=} must survive as an empty argument).
     */
    String asPgCtlOptions(int port) {
        StringBuilder options = new StringBuilder("-p ").append(port);
        settings.forEach((name, value) -> options.append(" -c ").append(shellQuoted(name + "=" + value)));
        return options.toString();
    }

    private static String shellQuoted(String argument) {
        return "'" + argument.replace("'", "'\\''") + "'";
    }
}
