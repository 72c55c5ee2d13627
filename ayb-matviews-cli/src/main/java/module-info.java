/**
 * The {@code ayb} command-line tool: an application, so it exports nothing. Its command classes are opened to
 * picocli, which instantiates them and sets their option fields by reflection.
 */
module dev.ayb.matviews.cli {
    opens dev.ayb.matviews.cli to info.picocli;

    requires dev.ayb.matviews.jdbc;
    requires dev.ayb.matviews.jobs;
    requires dev.ayb.matviews.json;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires com.zaxxer.hikari;
    // The driver's own parser checks --database-url before anything connects (it has only an Automatic-Module-Name).
    requires org.postgresql.jdbc;
    requires static transitive org.jspecify;
}
