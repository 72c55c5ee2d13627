package dev.ayb.matviews.collections.internal.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CursorTest {
    @Test
    void aCursorSurvivesEncodingWithNullsAndAnyText() {
        Cursor cursor = new Cursor("-points,+id", Arrays.asList(null, "ü \"'\\ ,;", "3"), 7);

        String encoded = cursor.encode();

        assertThat(encoded).matches("[A-Za-z0-9_-]+");
        assertThat(Cursor.decode(encoded)).isEqualTo(cursor);
    }

    @Test
    void anythingButAnIssuedCursorIsRefused() {
        for (String text : new String[] {"", "%%%", "bnVsbA", encode("{\"o\":\"+id\",\"k\":[],\"p\":\"2\"}"),
                encode("{\"o\":1,\"k\":[],\"p\":2}"), encode("{\"o\":\"+id\",\"k\":{},\"p\":2}"),
                encode("{\"o\":\"+id\",\"k\":[[\"1\"]],\"p\":2}"), encode("{\"o\":\"+id\",\"k\":[],\"p\":2} {}"),
                encode("{\"o\":\"+id\",\"k\":[],\"p\":9999999999}")}) {
            assertThatThrownBy(() -> Cursor.decode(text)).as(text)
                    .hasMessage("after: not a cursor this API issued (pass nextCursor back unchanged)");
        }
        assertThatThrownBy(() -> Cursor.decode("a".repeat(Cursor.MAX_LENGTH + 1)))
                .hasMessage("after: longer than 4096 characters");
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
