package dev.ayb.matviews.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final Handler LIST = request -> ApiResponse.noContent();
    private static final Handler DISCOVERED = request -> ApiResponse.noContent();
    private static final Handler GET_ONE = request -> ApiResponse.noContent();
    private static final Handler DELETE_ONE = request -> ApiResponse.noContent();
    private static final Handler REFRESH = request -> ApiResponse.noContent();

    private final Router router = Router.builder()
            .add("GET", "/api/admin/matviews/{ref}", GET_ONE)
            .add("DELETE", "/api/admin/matviews/{ref}", DELETE_ONE)
            .add("GET", "/api/admin/matviews", LIST)
            .add("GET", "/api/admin/matviews/discovered", DISCOVERED)
            .add("POST", "/api/admin/matviews/{ref}/refresh", REFRESH)
            .build();

    private static List<String> path(String path) {
        return RequestPath.split(path);
    }

    @Test
    void aTemplateVariableCapturesItsSegment() {
        Router.Resolution resolution = router.resolve("POST", path("/api/admin/matviews/public.leaderboard/refresh"));

        assertThat(resolution).isEqualTo(new Router.Found(REFRESH, "/api/admin/matviews/{ref}/refresh",
                Map.of("ref", "public.leaderboard")));
    }

    @Test
    void aLiteralSegmentWinsOverAVariableWhicheverWasAddedFirst() {
        assertThat(router.resolve("GET", path("/api/admin/matviews/discovered")))
                .isInstanceOfSatisfying(Router.Found.class, found -> assertThat(found.handler()).isSameAs(DISCOVERED));
        assertThat(router.resolve("GET", path("/api/admin/matviews/leaderboard")))
                .isInstanceOfSatisfying(Router.Found.class, found -> assertThat(found.handler()).isSameAs(GET_ONE));
    }

    @Test
    void aKnownPathWithAnotherMethodIsMethodNotAllowedListingTheMethodsOfTheMostSpecificTemplate() {
        assertThat(router.resolve("PUT", path("/api/admin/matviews/x")))
                .isEqualTo(new Router.MethodNotAllowed(Set.of("DELETE", "GET")));
        assertThat(((Router.MethodNotAllowed) router.resolve("DELETE", path("/api/admin/matviews/discovered")))
                .allowHeader()).isEqualTo("GET");
    }

    @Test
    void aPathNoTemplateMatchesIsNotFound() {
        assertThat(router.resolve("GET", path("/api/admin/matviews/x/history"))).isInstanceOf(Router.NotFound.class);
        assertThat(router.resolve("GET", path("/api/admin"))).isInstanceOf(Router.NotFound.class);
        assertThat(router.resolve("GET", path("/"))).isInstanceOf(Router.NotFound.class);
    }

    @Test
    void methodsAreCaseSensitive() {
        assertThat(router.resolve("get", path("/api/admin/matviews"))).isInstanceOf(Router.MethodNotAllowed.class);
    }

    @Test
    void emptySegmentsAndATrailingSlashDoNotChangeTheRoute() {
        assertThat(router.resolve("GET", path("//api/admin//matviews/")))
                .isInstanceOfSatisfying(Router.Found.class, found -> assertThat(found.handler()).isSameAs(LIST));
    }

    @Test
    void routingTheSameMethodAndPathTwiceIsAMistakeCaughtAtStartUp() {
        assertThatThrownBy(() -> Router.builder().add("GET", "/a/{x}", LIST).add("GET", "/a/{x}", GET_ONE))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Router.builder().add("GET", "/a/{x}", LIST).add("PUT", "/a/{y}", GET_ONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("matches the same paths");
    }

    @Test
    void malformedTemplatesAreRejected() {
        assertThatThrownBy(() -> Router.builder().add("GET", "a/b", LIST)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Router.builder().add("GET", "/a/{}", LIST)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Router.builder().add("GET", "/a/x{y}", LIST)).isInstanceOf(IllegalArgumentException.class);
    }
}
