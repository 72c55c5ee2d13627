package dev.ayb.matviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void refreshModeUsesTheWireNames() {
        assertThat(RefreshMode.fromWire("standard")).isEqualTo(RefreshMode.STANDARD);
        assertThat(RefreshMode.fromWire("CONCURRENT")).isEqualTo(RefreshMode.CONCURRENT);
        assertThat(RefreshMode.CONCURRENT.wireName()).isEqualTo("concurrent");
        assertThat(RefreshMode.fromWire("Swap")).isEqualTo(RefreshMode.SWAP);
        assertThat(RefreshMode.SWAP.wireName()).isEqualTo("swap");
        assertThatThrownBy(() -> RefreshMode.fromWire("fast"))
                .hasMessage("refreshMode must be 'standard', 'concurrent' or 'swap'");
        assertThatThrownBy(() -> RefreshMode.fromWire(null)).isInstanceOf(MatviewException.class);
    }

    @Test
    void errorCodesCarryTheOriginalStatusesAndMessages() {
        assertThat(ErrorCode.VIEW_NOT_FOUND.httpStatus()).isEqualTo(404);
        assertThat(ErrorCode.VIEW_NOT_FOUND.defaultMessage()).isEqualTo("materialized view not found in database");
        assertThat(ErrorCode.ALREADY_REGISTERED.httpStatus()).isEqualTo(409);
        assertThat(ErrorCode.ALREADY_REGISTERED.defaultMessage()).isEqualTo("materialized view already registered");
        assertThat(ErrorCode.REFRESH_IN_PROGRESS.httpStatus()).isEqualTo(409);
        assertThat(ErrorCode.REFRESH_IN_PROGRESS.defaultMessage()).isEqualTo("refresh already in progress");
        assertThat(ErrorCode.CONCURRENT_REQUIRES_UNIQUE_INDEX.defaultMessage())
                .isEqualTo("concurrent refresh requires a unique index on the materialized view");
        assertThat(ErrorCode.CONCURRENT_REQUIRES_POPULATED.defaultMessage())
                .isEqualTo("concurrent refresh requires a populated materialized view");
        assertThat(ErrorCode.REGISTRATION_NOT_FOUND.httpStatus()).isEqualTo(404);
        assertThat(ErrorCode.REGISTRATION_NOT_FOUND.defaultMessage()).isEqualTo("matview registration not found");
        assertThat(ErrorCode.VIEW_NO_LONGER_EXISTS.httpStatus()).isEqualTo(404);
        assertThat(ErrorCode.VIEW_NO_LONGER_EXISTS.defaultMessage())
                .isEqualTo("materialized view no longer exists in database");
        assertThat(ErrorCode.INVALID_ID_FORMAT.httpStatus()).isEqualTo(400);
        assertThat(ErrorCode.VIEW_NAME_REQUIRED.defaultMessage()).isEqualTo("viewName is required");
    }

    @Test
    void errorNamesAreUniqueAndStable() {
        assertThat(ErrorCode.values()).extracting(ErrorCode::errorName).doesNotHaveDuplicates();
        assertThat(ErrorCode.REFRESH_IN_PROGRESS.errorName()).isEqualTo("refresh_in_progress");
    }

    @Test
    void timeoutsFallBackPerValueAndRejectNonPositiveDurations() {
        RefreshTimeouts own = RefreshTimeouts.of(Duration.ofSeconds(1), null);
        RefreshTimeouts defaults = RefreshTimeouts.of(Duration.ofSeconds(5), Duration.ofMinutes(10));
        assertThat(own.orElse(defaults)).isEqualTo(RefreshTimeouts.of(Duration.ofSeconds(1), Duration.ofMinutes(10)));
        assertThat(RefreshTimeouts.NONE.orElse(RefreshTimeouts.NONE).isNone()).isTrue();
        assertThatThrownBy(() -> RefreshTimeouts.of(Duration.ZERO, null)).isInstanceOf(MatviewException.class);
        assertThatThrownBy(() -> RefreshTimeouts.of(null, Duration.ofSeconds(-1))).isInstanceOf(MatviewException.class);
        assertThatThrownBy(() -> RefreshTimeouts.of(Duration.ofMillis(3_000_000_000L), null))
                .hasMessage("lockTimeout must be at most 2147483647 ms");
    }

    @Test
    void registrationRejectsUnsafeNames() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> new Registration(UUID.randomUUID(), "public", "x; drop", RefreshMode.STANDARD,
                RefreshTimeouts.NONE, false, null, null, null, null, null, now, now))
                .isInstanceOf(MatviewException.class);
    }

    @Test
    void discoveredViewExplainsWhyConcurrentWouldBeRefused() {
        assertThat(new DiscoveredView("public", "v", true, true, null).concurrentRefreshBlocker()).isEmpty();
        assertThat(new DiscoveredView("public", "v", true, false, null).concurrentRefreshBlocker())
                .contains("concurrent refresh requires a unique index on the materialized view");
        assertThat(new DiscoveredView("public", "v", false, true, null).concurrentRefreshBlocker())
                .contains("concurrent refresh requires a populated materialized view");
    }

    @Test
    void discoveredViewSaysWhichModesItCanUseAndWhySwapWouldBeRefused() {
        assertThat(new DiscoveredView("public", "v", true, true, null).refreshModes())
                .containsExactly(RefreshMode.STANDARD, RefreshMode.CONCURRENT, RefreshMode.SWAP);
        assertThat(new DiscoveredView("public", "v", false, false, null).refreshModes())
                .containsExactly(RefreshMode.STANDARD, RefreshMode.SWAP);
        DiscoveredView withDependants = new DiscoveredView("public", "v", true, true, null,
                List.of("public.a", "other.b"));
        assertThat(withDependants.refreshModes()).containsExactly(RefreshMode.STANDARD, RefreshMode.CONCURRENT);
        assertThat(withDependants.swapRefreshBlocker()).contains("swap refresh is refused while other views depend"
                + " on the materialized view: public.a, other.b");
        assertThat(new DiscoveredView("public", "v", true, true, null).swapRefreshBlocker()).isEmpty();
    }
}
