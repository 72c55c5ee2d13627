package dev.ayb.matviews;

import java.util.List;

/**
 * A page of registrations and how many there are in all (after the filter), as the collections API
 * counts its pages: {@code totalPages} is 0 when nothing matched.
 */
public record RegistrationPage(int page, int perPage, long totalItems, List<Registration> items) {
    public RegistrationPage {
        items = List.copyOf(items);
    }

    public long totalPages() {
        return (totalItems + perPage - 1) / perPage;
    }
}
