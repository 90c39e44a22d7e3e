package dev.hadiag.core.silence;

import dev.hadiag.core.analysis.IgnoreRules;
import java.util.List;

/** One condition of a silence: a glob ({@code *} any run of characters, {@code ?} one) on one field of an alert. */
public record SilenceMatcher(SilenceField field, String glob) {

    /** Longer globs are not a person's work. */
    public static final int MAX_GLOB_LENGTH = 256;

    public SilenceMatcher {
        if (field == null) {
            throw new InvalidSilenceException("matchers", "a matcher needs a field; fields are " + String.join(", ", SilenceField.wireNames()));
        }
        if (glob == null || glob.isBlank()) {
            throw new InvalidSilenceException("matchers", "the glob of " + field.wire() + " is empty");
        }
        if (glob.length() > MAX_GLOB_LENGTH) {
            throw new InvalidSilenceException("matchers", "the glob of " + field.wire() + " is longer than " + MAX_GLOB_LENGTH);
        }
        if (glob.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidSilenceException("matchers", "the glob of " + field.wire() + " holds a control character");
        }
    }

    /** Parses {@code field=glob}, as the CLI's {@code --match} takes it. */
    public static SilenceMatcher parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new InvalidSilenceException("matchers", "'" + text + "' is not field=glob, e.g. entity=sensor.garage_*");
        }
        return new SilenceMatcher(SilenceField.fromWire(text.substring(0, eq).trim()), text.substring(eq + 1).trim());
    }

    /**
     * Whether the alert's values of this field match: for {@link SilenceField#ENTITY} every entity must (an alert about the
     * garage and the kitchen is not silenced by a garage silence), for the others any one value.
     */
    public boolean matches(AlertSubject subject) {
        List<String> values = subject.values(field);
        if (values.isEmpty()) {
            return false;
        }
        if (field == SilenceField.ENTITY) {
            return values.stream().allMatch(value -> IgnoreRules.matchesAny(List.of(glob), value));
        }
        return values.stream().anyMatch(value -> IgnoreRules.matchesAny(List.of(glob), value));
    }

    @Override
    public String toString() {
        return field.wire() + "=" + glob;
    }
}
