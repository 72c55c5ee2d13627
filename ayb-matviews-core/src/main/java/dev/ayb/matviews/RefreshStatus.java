package dev.ayb.matviews;

/** Outcome of a refresh that ran; a refresh rejected for a held lock never produces one. */
public enum RefreshStatus {
    SUCCESS("success"),
    ERROR("error");

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
