package dev.hadiag.core.ha;

/**
 * A config entry. Absent text is empty.
 *
 * @param rawState HA's own word for the state, kept for messages when {@code state} is {@code UNKNOWN}
 * @param reason   HA's error text for a failed entry
 */
public record ConfigEntry(String entryId, String domain, String title, ConfigEntryState state, String rawState,
        String reason, String disabledBy) {

    public ConfigEntry {
        Strings.required("entry_id", entryId);
        Strings.required("domain", domain);
        title = Strings.orEmpty(title);
        rawState = Strings.orEmpty(rawState);
        reason = Strings.orEmpty(reason);
        disabledBy = Strings.orEmpty(disabledBy);
        if (state == null) {
            state = ConfigEntryState.UNKNOWN;
        }
    }

    public boolean isDisabled() {
        return !disabledBy.isEmpty();
    }
}
