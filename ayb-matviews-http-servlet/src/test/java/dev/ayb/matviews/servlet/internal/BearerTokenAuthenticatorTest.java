package dev.ayb.matviews.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BearerTokenAuthenticatorTest {
    private static final String TOKEN = "s3cr3t-Token_value.~+/=";

    private final BearerTokenAuthenticator authenticator = new BearerTokenAuthenticator(TOKEN);

    @Test
    void acceptsExactlyTheToken() {
        assertThat(authenticator.matches("Bearer " + TOKEN)).isTrue();
    }

    @Test
    void theSchemeIsCaseInsensitiveAndExtraSpacesAreTolerated() {
        assertThat(authenticator.matches("bearer " + TOKEN)).isTrue();
        assertThat(authenticator.matches("BEARER   " + TOKEN + " ")).isTrue();
    }

    @Test
    void refusesAnyOtherToken() {
        assertThat(authenticator.matches("Bearer " + TOKEN.substring(1))).isFalse();
        assertThat(authenticator.matches("Bearer " + TOKEN + "x")).isFalse();
        assertThat(authenticator.matches("Bearer " + TOKEN.toUpperCase())).isFalse();
    }

    @Test
    void refusesMissingOrMalformedHeaders() {
        assertThat(authenticator.matches(null)).isFalse();
        assertThat(authenticator.matches("")).isFalse();
        assertThat(authenticator.matches("Bearer")).isFalse();
        assertThat(authenticator.matches("Bearer ")).isFalse();
        assertThat(authenticator.matches("Bearer" + TOKEN)).isFalse();
        assertThat(authenticator.matches("Basic " + TOKEN)).isFalse();
        assertThat(authenticator.matches(TOKEN)).isFalse();
    }

    @Test
    void anEmptyTokenOrOneWithSpacesOrControlCharactersIsRefusedAtConstruction() {
        for (String bad : new String[] {null, "", " ", "two words", "token\n", "tab\there", "caf\u00e9"}) {
            assertThatThrownBy(() -> new BearerTokenAuthenticator(bad)).as(String.valueOf(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void toStringDoesNotRevealTheToken() {
        assertThat(authenticator.toString()).doesNotContain(TOKEN);
    }
}
