package dev.hadiag.core.analysis;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Operator globs ({@code *} any run of characters, {@code ?} one), each compiled once: they are matched
 * against every entity of every run.
 */
public final class Globs {

    public static final Globs NONE = new Globs(List.of());

    private final List<String> globs;
    private final List<Pattern> patterns;

    private Globs(List<String> globs) {
        this.globs = List.copyOf(globs);
        this.patterns = this.globs.stream().map(Globs::compile).toList();
    }

    public static Globs of(List<String> globs) {
        return globs.isEmpty() ? NONE : new Globs(globs);
    }

    /** The globs as the operator wrote them. */
    public List<String> globs() {
        return globs;
    }

    public boolean isEmpty() {
        return globs.isEmpty();
    }

    /** Whether {@code value} matches one of the globs. */
    public boolean matchesAny(String value) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Globs that && globs.equals(that.globs);
    }

    @Override
    public int hashCode() {
        return globs.hashCode();
    }

    @Override
    public String toString() {
        return globs.toString();
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
