package dev.hadiag.core.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * Operator globs ({@code *} any run of characters, {@code ?} one), each split once into its literal parts: they are
 * matched against every entity of every run, on the check threads and in the silences' poll.
 *
 * <p>Matching never backtracks: a glob compiled to a regular expression took exponential time for globs such as
 * {@code *a*a*a*a*a*a*a*a*b} against a long run of {@code a}s, which froze every check (issue 24). Here the parts between
 * stars are found left to right, each at its first place after the one before: if a glob matches at all, it matches with
 * every part at its leftmost place, so a part is never looked for twice. The cost is at most the value's length times
 * the glob's, whatever either holds.
 */
public final class Globs {

    public static final Globs NONE = new Globs(List.of());

    private final List<String> globs;
    private final List<Glob> compiled;

    private Globs(List<String> globs) {
        this.globs = List.copyOf(globs);
        this.compiled = this.globs.stream().map(Glob::of).toList();
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
        for (Glob glob : compiled) {
            if (glob.matches(value)) {
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

    /**
     * One glob as its parts: {@code parts} are the runs between stars ({@code ?} kept in them as a one-character
     * wildcard); {@code anchoredStart}/{@code anchoredEnd} whether the glob starts/ends without a star, so its first/last
     * part must sit at the value's start/end.
     */
    private record Glob(List<String> parts, boolean anchoredStart, boolean anchoredEnd) {

        static Glob of(String glob) {
            List<String> parts = new ArrayList<>();
            StringBuilder part = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '*') {
                    parts.add(part.toString());
                    part.setLength(0);
                } else {
                    part.append(c);
                }
            }
            parts.add(part.toString());
            boolean hasStar = parts.size() > 1;
            // Empty parts (a leading, trailing or doubled star) match anywhere: only the anchors need them.
            List<String> literal = parts.stream().filter(p -> !p.isEmpty()).toList();
            return new Glob(literal, !glob.startsWith("*"), hasStar ? !glob.endsWith("*") : true);
        }

        boolean matches(String value) {
            if (parts.isEmpty()) {
                // "" matches only ""; a glob of stars only matches everything.
                return anchoredStart && anchoredEnd ? value.isEmpty() : true;
            }
            if (anchoredStart && anchoredEnd && parts.size() == 1) {
                String only = parts.get(0);
                return only.length() == value.length() && matchesAt(only, value, 0);
            }
            int from = 0;
            int first = 0;
            int last = parts.size();
            if (anchoredStart) {
                String head = parts.get(0);
                if (!matchesAt(head, value, 0)) {
                    return false;
                }
                from = head.length();
                first = 1;
            }
            int end = value.length();
            if (anchoredEnd) {
                String tail = parts.get(parts.size() - 1);
                int tailStart = value.length() - tail.length();
                if (tailStart < from || !matchesAt(tail, value, tailStart)) {
                    return false;
                }
                end = tailStart;
                last = parts.size() - 1;
            }
            for (int i = first; i < last; i++) {
                String part = parts.get(i);
                int at = find(part, value, from, end);
                if (at < 0) {
                    return false;
                }
                from = at + part.length();
            }
            return true;
        }

        /** The first index in {@code [from, end - part.length()]} where {@code part} matches, or -1. */
        private static int find(String part, String value, int from, int end) {
            for (int at = from; at + part.length() <= end; at++) {
                if (matchesAt(part, value, at)) {
                    return at;
                }
            }
            return -1;
        }

        private static boolean matchesAt(String part, String value, int at) {
            if (at < 0 || at + part.length() > value.length()) {
                return false;
            }
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c != '?' && c != value.charAt(at + i)) {
                    return false;
                }
            }
            return true;
        }
    }
}
