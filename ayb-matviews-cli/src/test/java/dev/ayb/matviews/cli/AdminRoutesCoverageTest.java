package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help;

/**
 * Every route of the admin HTTP API has a command that makes the same call: an operator without the HTTP API (or
 * with a read-only role) loses nothing. A route added to the API belongs in this table with its command.
 */
class AdminRoutesCoverageTest {
    private static final Map<String, String> COMMAND_OF_ROUTE = new LinkedHashMap<>();

    static {
        COMMAND_OF_ROUTE.put("GET /api/admin/health", "matviews status");
        COMMAND_OF_ROUTE.put("GET /api/admin/events", "events");
        COMMAND_OF_ROUTE.put("GET /api/admin/matviews", "matviews list");
        COMMAND_OF_ROUTE.put("POST /api/admin/matviews", "matviews register");
        COMMAND_OF_ROUTE.put("GET /api/admin/matviews/discovered", "matviews discover");
        COMMAND_OF_ROUTE.put("GET /api/admin/matviews/{ref}", "matviews show");
        COMMAND_OF_ROUTE.put("PUT /api/admin/matviews/{ref}", "matviews update");
        COMMAND_OF_ROUTE.put("PATCH /api/admin/matviews/{ref}", "matviews update");
        COMMAND_OF_ROUTE.put("DELETE /api/admin/matviews/{ref}", "matviews unregister");
        COMMAND_OF_ROUTE.put("POST /api/admin/matviews/{ref}/refresh", "matviews refresh");
        COMMAND_OF_ROUTE.put("GET /api/admin/matviews/{ref}/history", "matviews history");
        COMMAND_OF_ROUTE.put("GET /api/admin/matviews/{ref}/dependencies", "matviews dependencies");
        COMMAND_OF_ROUTE.put("GET /api/admin/matviews/{ref}/sources", "matviews sources");
        COMMAND_OF_ROUTE.put("GET /api/admin/schedules", "schedules list");
        COMMAND_OF_ROUTE.put("POST /api/admin/schedules", "schedules create");
        COMMAND_OF_ROUTE.put("GET /api/admin/schedules/preview", "schedules preview");
        COMMAND_OF_ROUTE.put("GET /api/admin/schedules/{id}", "schedules show");
        COMMAND_OF_ROUTE.put("PUT /api/admin/schedules/{id}", "schedules update");
        COMMAND_OF_ROUTE.put("PATCH /api/admin/schedules/{id}", "schedules update");
        COMMAND_OF_ROUTE.put("DELETE /api/admin/schedules/{id}", "schedules delete");
        COMMAND_OF_ROUTE.put("POST /api/admin/schedules/{id}/enable", "schedules enable");
        COMMAND_OF_ROUTE.put("POST /api/admin/schedules/{id}/disable", "schedules disable");
        COMMAND_OF_ROUTE.put("POST /api/admin/schedules/{id}/run", "schedules run");
        COMMAND_OF_ROUTE.put("GET /api/admin/jobs", "jobs list");
        COMMAND_OF_ROUTE.put("GET /api/admin/jobs/{id}", "jobs show");
        COMMAND_OF_ROUTE.put("POST /api/admin/jobs/{id}/retry", "jobs retry");
        COMMAND_OF_ROUTE.put("POST /api/admin/jobs/{id}/cancel", "jobs cancel");
    }

    @Test
    void everyAdminRouteHasACommand() {
        CommandLine root = AybCli.commandLine(Map.of(), Help.Ansi.OFF, Terminal.NONE);

        assertThat(COMMAND_OF_ROUTE).allSatisfy((route, command) -> {
            CommandLine found = root;
            for (String name : command.split(" ")) {
                found = found.getSubcommands().get(name);
                assertThat(found).as("command '%s' for %s", command, route).isNotNull();
            }
            assertThat(found.getSubcommands()).as("'%s' runs something", command).isEmpty();
        });
    }
}
