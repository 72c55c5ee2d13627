package dev.ayb.matviews.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplyTest {

    @Test
    void aFourHundredWithTheApisErrorShapeIsAProperRefusal() {
        Reply reply = json(404, "{\"code\": 404, \"error\": \"view_not_found\", \"message\": \"not registered\"}");

        assertThat(reply.refusalProblem()).isNull();
        assertThat(reply.error()).isEqualTo("view_not_found");
        assertThat(reply.message()).isEqualTo("not registered");
    }

    @Test
    void aRefusalWhoseBodyBreaksTheErrorShapeIsNamed() {
        assertThat(json(200, "{}").refusalProblem()).isEqualTo("status 200 is not a 4xx");
        assertThat(json(400, "{\"code\": 500, \"error\": \"x\", \"message\": \"m\"}").refusalProblem())
                .isEqualTo("code 500 differs from the status 400");
        assertThat(json(400, "{\"code\": 400, \"error\": \"x\", \"message\": \"two\\nlines\"}").refusalProblem())
                .isEqualTo("unclear message: two\nlines");
        assertThat(json(400, "{\"code\": 400, \"error\": \"x\", \"message\": \"" + "m".repeat(1001) + "\"}")
                .refusalProblem()).startsWith("unclear message: ");
        assertThat(json(400, "{\"code\": 400, \"message\": \"m\"}").refusalProblem()).isEqualTo("no error name");
    }

    @Test
    void aRefusalTheContainerWroteWithoutJsonStillCounts() {
        Reply reply = new Reply(400, headers("text/html"), "<h1>Bad Message 400</h1>");

        assertThat(reply.isJson()).isFalse();
        assertThat(reply.refusalProblem()).isNull();
    }

    private static Reply json(int status, String body) {
        return new Reply(status, headers("application/json;charset=utf-8"), body);
    }

    private static HttpHeaders headers(String contentType) {
        return HttpHeaders.of(Map.of("Content-Type", List.of(contentType)), (name, value) -> true);
    }
}
