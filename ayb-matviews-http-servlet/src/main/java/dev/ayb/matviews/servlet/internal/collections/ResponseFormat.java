package dev.ayb.matviews.servlet.internal.collections;

import java.util.Locale;

/** JSON (the default) or CSV, chosen by {@code ?format=} or else by the {@code Accept} header. */
enum ResponseFormat {
    JSON("application/json"),
    CSV("text/csv");

    private final String mediaType;

    ResponseFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    /**
     * @param format the {@code format} parameter, which wins when given ({@code json} or {@code csv})
     * @param accept the {@code Accept} header; CSV only when it prefers {@code text/csv} to JSON, so browsers
     *               and clients sending {@code *}{@code /*} get JSON
     */
    static ResponseFormat choose(String format, String accept) {
        if (format != null && !format.isEmpty()) {
            return switch (format.toLowerCase(Locale.ROOT)) {
                case "json" -> JSON;
                case "csv" -> CSV;
                default -> throw CollectionErrors.invalidFormat();
            };
        }
        if (accept == null || accept.isBlank()) {
            return JSON;
        }
        return CSV.quality(accept) > JSON.quality(accept) ? CSV : JSON;
    }

    /** The q of the most specific range of the header that matches this type (RFC 9110 §12.5.1); 0 if none. */
    double quality(String accept) {
        String type = mediaType.substring(0, mediaType.indexOf('/'));
        int bestSpecificity = -1;
        double quality = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
            int specificity = name.equals(mediaType) ? 2 : name.equals(type + "/*") ? 1 : name.equals("*/*") ? 0 : -1;
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                quality = q(parts);
            }
        }
        return quality;
    }

    private static double q(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].trim();
            if (parameter.length() > 2 && parameter.substring(0, 2).equalsIgnoreCase("q=")) {
                try {
                    double q = Double.parseDouble(parameter.substring(2).trim());
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
