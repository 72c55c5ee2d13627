package dev.ayb.matviews.servlet.internal.collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResponseFormatTest {
    @Test
    void jsonUnlessCsvIsPreferred() {
        assertThat(ResponseFormat.choose(null, null)).isEqualTo(ResponseFormat.JSON);
        assertThat(ResponseFormat.choose(null, "*/*")).isEqualTo(ResponseFormat.JSON);
        assertThat(ResponseFormat.choose(null, "application/json, text/csv")).isEqualTo(ResponseFormat.JSON);
        assertThat(ResponseFormat.choose(null, "text/html")).isEqualTo(ResponseFormat.JSON);
        assertThat(ResponseFormat.choose(null, "text/csv")).isEqualTo(ResponseFormat.CSV);
        assertThat(ResponseFormat.choose(null, "Text/CSV; charset=utf-8")).isEqualTo(ResponseFormat.CSV);
        assertThat(ResponseFormat.choose(null, "application/json;q=0.5, text/csv")).isEqualTo(ResponseFormat.CSV);
        assertThat(ResponseFormat.choose(null, "text/csv, */*;q=0.1")).isEqualTo(ResponseFormat.CSV);
        assertThat(ResponseFormat.choose(null, "text/csv;q=0, */*")).isEqualTo(ResponseFormat.JSON);
        assertThat(ResponseFormat.choose(null, "text/csv;q=abc")).isEqualTo(ResponseFormat.JSON);
    }

    @Test
    void theFormatParameterWins() {
        assertThat(ResponseFormat.choose("csv", "application/json")).isEqualTo(ResponseFormat.CSV);
        assertThat(ResponseFormat.choose("JSON", "text/csv")).isEqualTo(ResponseFormat.JSON);
        assertThatThrownBy(() -> ResponseFormat.choose("xml", null)).hasMessage("format must be json or csv");
    }
}
