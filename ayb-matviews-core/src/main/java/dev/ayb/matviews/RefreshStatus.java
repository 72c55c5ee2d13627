package dev.ayb.matviews;

/**
 * Outcome of a refresh that ran; a refresh rejected for a held lock never produces one. {@link #SKIPPED} is a
 * history row only: a refresh asked "only if changed" found the view current and ran no {@code REFRESH}.
 */
public enum RefreshStatus {
    SUCCESS("success"),
    ERROR("error"),
    SKIPPED("skipped");

    private final String wireName;

    RefreshStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static RefreshStatus fromWire(String text) {
        for (RefreshStatus status : values()) {
            if (status.wireName.equals(text)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown refresh status: " + text);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
