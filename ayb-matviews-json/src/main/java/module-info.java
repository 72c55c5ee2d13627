/** The wire JSON of the library's values, shared by the HTTP API and the command line. */
module dev.ayb.matviews.json {
    exports dev.ayb.matviews.json;

    // WireJson maps the core's and the job module's values to Jackson's tree nodes: all three are in its API.
    requires transitive dev.ayb.matviews.core;
    requires transitive dev.ayb.matviews.jobs;
    requires transitive com.fasterxml.jackson.databind;
    requires static transitive org.jspecify;
}
