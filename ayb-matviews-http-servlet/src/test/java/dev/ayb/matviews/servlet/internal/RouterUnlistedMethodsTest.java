package dev.ayb.matviews.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Router.Builder#addUnlisted}: a method routed only to be refused is not advertised in Allow. */
class RouterUnlistedMethodsTest {
    private static final Handler READ = request -> ApiResponse.noContent();
    private static final Handler REFUSE = request -> ApiResponse.noContent();

    private final Router router = Router.builder()
            .add("GET", "/things/{name}", READ)
            .add("HEAD", "/things/{name}", READ)
            .addUnlisted("DELETE", "/things/{name}", REFUSE)
            .build();

    @Test
    void anUnlistedMethodIsRoutedToItsHandler() {
        assertThat(router.resolve("DELETE", List.of("things", "x")))
                .isInstanceOfSatisfying(Router.Found.class, found -> assertThat(found.handler()).isSameAs(REFUSE));
    }

    @Test
    void anUnlistedMethodIsLeftOutOfTheAllowHeaderOfOtherMethods() {
        Router.Resolution options = router.resolve("OPTIONS", List.of("things", "x"));

        assertThat(options).isEqualTo(new Router.MethodNotAllowed(Set.of("GET", "HEAD")));
        assertThat(((Router.MethodNotAllowed) options).allowHeader()).isEqualTo("GET, HEAD");
    }

    @Test
    void anUnlistedMethodIsStillRoutedOnlyOnce() {
        Router.Builder builder = Router.builder().addUnlisted("DELETE", "/things/{name}", REFUSE);

        assertThatThrownBy(() -> builder.add("DELETE", "/things/{other}", READ))
                .isInstanceOf(IllegalStateException.class);
    }
}
