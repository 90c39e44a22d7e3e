package dev.hadiag.core.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one rule every grouping level of the analysis shares (integration, device, and any grouping a level
 * adds): a group whose enabled entities are all down is one cause, and takes its members that still wait
 * for a cause out of the candidates. Levels run from the widest group to the narrowest, so a member is
 * claimed by the first level whose group is wholly down.
 */
final class WhollyDownGroups {

    /** A wholly-down group: its key, how many enabled entities it has, and the ones it now explains. */
    record Group(String key, int size, List<String> affected, Instant since) {
    }

    private final Iterable<String> enabled;
    private final Map<String, Instant> since;
    private final Set<String> candidates;

    /**
     * @param enabled    every enabled entity with a state
     * @param since      since when each bad entity is bad
     * @param candidates the bad entities no level has explained yet: taken from as groups claim them
     */
    WhollyDownGroups(Iterable<String> enabled, Map<String, Instant> since, Set<String> candidates) {
        this.enabled = enabled;
        this.since = since;
        this.candidates = candidates;
    }

    /** {@code ids} by {@code key}, in first-seen order; an empty key means "in no group". */
    static Map<String, List<String>> byKey(Iterable<String> ids, Function<String, String> key) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String id : ids) {
            String k = key.apply(id);
            if (!k.isEmpty()) {
                groups.computeIfAbsent(k, x -> new ArrayList<>()).add(id);
            }
        }
        return groups;
    }

    /**
     * The groups of {@code key} (an empty key means "in no group") that are wholly down and explain at least
     * one candidate, in first-seen order; {@code known} drops keys the level cannot describe. Only the keys of
     * the candidates are grouped: a group without one explains nothing (at 20,000 entities with a few down,
     * grouping every entity was most of the analysis).
     */
    List<Group> claim(Function<String, String> key, Predicate<String> known) {
        Set<String> wanted = wantedKeys(key, known);
        if (wanted.isEmpty()) {
            return List.of();
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String id : enabled) {
            String k = key.apply(id);
            if (wanted.contains(k)) {
                groups.computeIfAbsent(k, x -> new ArrayList<>()).add(id);
            }
        }
        return claim(groups);
    }

    /**
     * As {@link #claim(Function, Predicate)}, from the groups already made ({@link #byKey}, of every enabled
     * entity): for a level whose grouping another level needs whole.
     */
    List<Group> claim(Map<String, List<String>> groups, Function<String, String> key, Predicate<String> known) {
        Set<String> wanted = wantedKeys(key, known);
        Map<String, List<String>> kept = new LinkedHashMap<>();
        groups.forEach((k, members) -> {
            if (wanted.contains(k)) {
                kept.put(k, members);
            }
        });
        return claim(kept);
    }

    /** The known, non-empty keys of the candidates. */
    private Set<String> wantedKeys(Function<String, String> key, Predicate<String> known) {
        Set<String> wanted = new HashSet<>();
        for (String id : candidates) {
            String k = key.apply(id);
            if (!k.isEmpty() && known.test(k)) {
                wanted.add(k);
            }
        }
        return wanted;
    }

    private List<Group> claim(Map<String, List<String>> groups) {
        List<Group> down = new ArrayList<>();
        groups.forEach((k, members) -> {
            if (!members.stream().allMatch(since::containsKey)) {
                return;
            }
            List<String> affected = members.stream().filter(candidates::contains).toList();
            candidates.removeAll(affected);
            if (!affected.isEmpty()) {
                // A group is down since its last member went down.
                down.add(new Group(k, members.size(), affected,
                        affected.stream().map(since::get).max(Comparator.naturalOrder()).orElseThrow()));
            }
        });
        return down;
    }
}
