package dev.hadiag.core.store;

/**
 * A repair issue HA raised about an alert already open, shown in that alert's events instead of opening a second one.
 *
 * @param alertKey the open alert's key
 * @param issue    the repair issue, {@code domain/issue_id}
 */
public record RepairAttachment(String alertKey, String issue) implements Comparable<RepairAttachment> {

    public RepairAttachment {
        if (alertKey == null || alertKey.isBlank() || issue == null || issue.isBlank()) {
            throw new IllegalArgumentException("a repair attachment needs an alert key and an issue");
        }
    }

    @Override
    public int compareTo(RepairAttachment other) {
        int byKey = alertKey.compareTo(other.alertKey);
        return byKey != 0 ? byKey : issue.compareTo(other.issue);
    }
}
