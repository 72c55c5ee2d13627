package dev.ayb.matviews.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.MatviewException;
import org.junit.jupiter.api.Test;

/** The small parsers in front of the routes: media types and query strings. */
class RequestParsingTest {
    @Test
    void jsonOrNoContentTypeIsAcceptedWithAnyParameters() {
        for (String type : new String[] {null, "", "application/json", "Application/JSON", "application/json; charset=utf-8",
                "application/json;charset=UTF-8"}) {
            assertThatCode(() -> JsonBodyReader.requireJson(type)).as(String.valueOf(type)).doesNotThrowAnyException();
        }
    }

    @Test
    void anyOtherContentTypeIsUnsupported() {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/jsonx",
                "multipart/form-data; boundary=x"}) {
            assertThatThrownBy(() -> JsonBodyReader.requireJson(type)).as(type)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(415));
        }
    }

    @Test
    void theFirstValueOfAQueryParameterIsDecoded() {
        assertThat(QueryString.first("a=1&limit=5&limit=6", "limit")).contains("5");
        assertThat(QueryString.first("name=public%2Eboard", "name")).contains("public.board");
        assertThat(QueryString.first("limit", "limit")).contains("");
        assertThat(QueryString.first("other=1", "limit")).isEmpty();
        assertThat(QueryString.first(null, "limit")).isEmpty();
    }

    @Test
    void aMalformedQueryStringIsABadRequest() {
        assertThatThrownBy(() -> QueryString.first("limit=%zz", "limit"))
                .isInstanceOfSatisfying(MatviewException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(400));
    }
}
