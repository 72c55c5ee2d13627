package dev.ayb.matviews.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The defaults the properties' metadata shows an IDE are the ones the starter uses: bound back, they give the
 * properties of a fresh {@link AybMatviewsProperties}. Every property is documented.
 */
class PropertiesMetadataTest {

    @Test
    void theDocumentedDefaultsAreTheDefaults() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = new ObjectMapper().readTree(in);
        }
        Map<String, String> defaults = new HashMap<>();
        for (JsonNode property : metadata.path("properties")) {
            assertThat(property.path("description").asText()).as(property.path("name").asText()).isNotBlank();
            if (property.has("defaultValue") && !property.path("defaultValue").isNull()) {
                defaults.put(property.path("name").asText(), property.path("defaultValue").asText());
            }
        }
        assertThat(defaults).containsKeys("ayb.matviews.schema", "ayb.matviews.jobs.lease-duration",
                "ayb.matviews.metrics.cache-for");

        AybMatviewsProperties bound = new Binder(new MapConfigurationPropertySource(defaults))
                .bind(AybMatviewsProperties.PREFIX, AybMatviewsProperties.class).get();

        assertThat(bound).usingRecursiveComparison().isEqualTo(new AybMatviewsProperties());
    }
}
