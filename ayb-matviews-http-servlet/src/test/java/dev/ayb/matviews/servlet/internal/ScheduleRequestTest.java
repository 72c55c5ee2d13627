package dev.ayb.matviews.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.jobs.ScheduleSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a schedule body: JSON types are checked here, values are left to the core. */
class ScheduleRequestTest {
    private static ScheduleSpec parse(String body) {
        return ScheduleRequest.from(Json.parseObject(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertRefused(String body, String message) {
        assertThatThrownBy(() -> parse(body)).as(body).isInstanceOfSatisfying(MatviewException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void everyFieldIsRead() {
        ScheduleSpec spec = parse("{\"name\": \"n\", \"jobType\": \"t\", \"cronExpr\": \"@daily\","
                + " \"timezone\": \"Europe/Paris\", \"payload\": {\"view_name\": \"v\"}, \"enabled\": false,"
                + " \"maxAttempts\": 7}");

        assertThat(spec).isEqualTo(new ScheduleSpec("n", "t", "@daily", "Europe/Paris", Map.of("view_name", "v"),
                false, 7));
    }

    @Test
    void absentAndNullFieldsAreLeftToTheCoreAsNull() {
        assertThat(parse("{}")).isEqualTo(ScheduleSpec.unchanged());
        assertThat(parse("{\"name\": null, \"jobType\": null, \"cronExpr\": null, \"timezone\": null,"
                + " \"payload\": null, \"enabled\": null, \"maxAttempts\": null}")).isEqualTo(ScheduleSpec.unchanged());
    }

    @Test
    void valuesAreNotJudgedHere() {
        ScheduleSpec spec = parse("{\"name\": \"\", \"cronExpr\": \"nonsense\", \"maxAttempts\": -5}");

        assertThat(spec.name()).isEmpty();
        assertThat(spec.cronExpr()).isEqualTo("nonsense");
        assertThat(spec.maxAttempts()).isEqualTo(-5);
    }

    @Test
    void aFieldOfTheWrongJsonTypeIsRefusedNamingIt() {
        assertRefused("{\"name\": 1}", "name must be a string");
        assertRefused("{\"jobType\": {}}", "jobType must be a string");
        assertRefused("{\"cronExpr\": [\"0\"]}", "cronExpr must be a string");
        assertRefused("{\"timezone\": 1}", "timezone must be a string");
        assertRefused("{\"payload\": \"{}\"}", "payload must be a JSON object");
        assertRefused("{\"payload\": []}", "payload must be a JSON object");
        assertRefused("{\"enabled\": \"true\"}", "enabled must be a boolean");
        assertRefused("{\"enabled\": 1}", "enabled must be a boolean");
        assertRefused("{\"maxAttempts\": 1.5}", "maxAttempts must be an integer");
        assertRefused("{\"maxAttempts\": \"3\"}", "maxAttempts must be an integer");
        assertRefused("{\"maxAttempts\": 3000000000}", "maxAttempts must be an integer");
    }
}
