package dev.ayb.matviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifierValidatorTest {

    @ParameterizedTest
    @ValueSource(strings = {"leaderboard", "public", "_private", "Leaderboard2", "a", "A_B_C_123", "_"})
    void acceptsIdentifiersOfLettersDigitsAndUnderscores(String identifier) {
        assertThat(IdentifierValidator.isValid(identifier)).isTrue();
        assertThat(IdentifierValidator.validate(identifier)).isEqualTo(identifier);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1abc", "bad-name", "bad.name", "bad name", "bad\"quote", "semi;colon",
            "drop table x--", "caf\u00e9", "tab\tname", "nul\u0000", "\u0430bc" /* Cyrillic a */})
    void rejectsEverythingElseWithTheOffendingTextQuoted(String identifier) {
        assertThat(IdentifierValidator.isValid(identifier)).isFalse();
        assertThatThrownBy(() -> IdentifierValidator.validate(identifier))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_IDENTIFIER);
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.getMessage()).startsWith("invalid identifier: \"");
                });
    }

    @Test
    void messageMatchesTheOriginalForASimpleName() {
        assertThatThrownBy(() -> IdentifierValidator.validate("bad-name"))
                .hasMessage("invalid identifier: \"bad-name\"");
    }

    @Test
    void messageEscapesQuotesAndControlCharacters() {
        assertThatThrownBy(() -> IdentifierValidator.validate("bad\"quote"))
                .hasMessage("invalid identifier: \"bad\\\"quote\"");
        assertThatThrownBy(() -> IdentifierValidator.validate("a\u0000b\nc"))
                .hasMessage("invalid identifier: \"a\\x00b\\nc\"");
    }

    @Test
    void rejectsNull() {
        assertThat(IdentifierValidator.isValid(null)).isFalse();
        assertThatThrownBy(() -> IdentifierValidator.validate(null)).hasMessage("invalid identifier: \"\"");
    }

    @Test
    void acceptsSixtyThreeBytesAndRejectsSixtyFour() {
        String max = "a".repeat(63);
        assertThat(IdentifierValidator.isValid(max)).isTrue();
        assertThat(IdentifierValidator.isValid(max + "a")).isFalse();
    }

    @Test
    void echoOfVeryLongInputIsTruncated() {
        assertThatThrownBy(() -> IdentifierValidator.validate("-".repeat(10_000)))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(120).endsWith("\"..."));
    }

    @Test
    void quoteWrapsAValidIdentifierInDoubleQuotes() {
        assertThat(IdentifierValidator.quote("Leaderboard")).isEqualTo("\"Leaderboard\"");
        assertThatThrownBy(() -> IdentifierValidator.quote("x\"; DROP TABLE users; --"))
                .isInstanceOf(MatviewException.class);
    }
}
