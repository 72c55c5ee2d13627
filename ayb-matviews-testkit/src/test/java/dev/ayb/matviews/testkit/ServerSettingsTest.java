package dev.ayb.matviews.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerSettingsTest {

    @Test
    void quotesEveryArgumentForTheShellThatPgCtlUses() {
        ServerSettings settings = new ServerSettings();
        settings.set("unix_socket_directories", "");
        settings.set("application_name", "it's");

        assertThat(settings.asPgCtlOptions(5555))
                .isEqualTo("-p 5555 -c 'unix_socket_directories=' -c 'application_name=it'\\''s'");
    }

    @Test
    void rejectsNamesThatAreNotSettings() {
        assertThatThrownBy(() -> new ServerSettings().set("x; rm -rf /", "1"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
