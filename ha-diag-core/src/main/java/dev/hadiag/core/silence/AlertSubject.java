package dev.hadiag.core.silence;

import dev.hadiag.core.analysis.Finding;
import dev.hadiag.core.analysis.RootCause;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What silences are matched against: each field's values of one alert, taken from its finding (the root cause, the
 * entities, and the details it carries: {@code device}, {@code integration}/{@code domain}, {@code hub},
 * {@code labels}).
 */
public record AlertSubject(Map<SilenceField, List<String>> fields) {

    public AlertSubject {
        Map<SilenceField, List<String>> copy = new EnumMap<>(SilenceField.class);
        fields.forEach((field, values) -> {
            List<String> clean = values.stream().filter(v -> v != null && !v.isBlank()).map(AlertSubject::oneLine).distinct().toList();
            if (!clean.isEmpty()) {
                copy.put(field, clean);
            }
        });
        fields = Map.copyOf(copy);
    }

    public List<String> values(SilenceField field) {
        return fields.getOrDefault(field, List.of());
    }

    public static AlertSubject of(Finding finding) {
        Map<SilenceField, Collection<String>> fields = new EnumMap<>(SilenceField.class);
        add(fields, SilenceField.TYPE, finding.type().type());
        add(fields, SilenceField.ALERT_KEY, finding.alertKey());
        finding.entities().forEach(entity -> add(fields, SilenceField.ENTITY, entity));
        RootCause cause = finding.rootCause();
        switch (cause.kind()) {
            case ENTITY -> {
                if (finding.entities().isEmpty()) {
                    add(fields, SilenceField.ENTITY, cause.id());
                }
            }
            case DEVICE -> {
                add(fields, SilenceField.DEVICE, cause.id());
                add(fields, SilenceField.DEVICE, cause.name());
            }
            case HUB -> {
                add(fields, SilenceField.HUB, cause.id());
                add(fields, SilenceField.HUB, cause.name());
            }
            case INTEGRATION -> add(fields, SilenceField.INTEGRATION, cause.id());
            default -> { } // HA itself, automations, updates, the recorder, repairs, storms: matched by type and key
        }
        Map<String, Object> details = finding.details();
        strings(details.get("device")).forEach(v -> add(fields, SilenceField.DEVICE, v));
        strings(details.get("device_id")).forEach(v -> add(fields, SilenceField.DEVICE, v));
        strings(details.get("integration")).forEach(v -> add(fields, SilenceField.INTEGRATION, v));
        strings(details.get("domain")).forEach(v -> add(fields, SilenceField.INTEGRATION, v));
        strings(details.get("hub")).forEach(v -> add(fields, SilenceField.HUB, v));
        strings(details.get("hub_id")).forEach(v -> add(fields, SilenceField.HUB, v));
        strings(details.get("labels")).forEach(v -> add(fields, SilenceField.LABEL, v));
        Map<SilenceField, List<String>> lists = new EnumMap<>(SilenceField.class);
        fields.forEach((field, values) -> lists.put(field, List.copyOf(values)));
        return new AlertSubject(lists);
    }

    /** One line per value, {@code field<TAB>value}: how the store keeps a subject. */
    public String encode() {
        StringBuilder text = new StringBuilder();
        for (SilenceField field : SilenceField.values()) {
            for (String value : values(field)) {
                text.append(field.wire()).append('\t').append(value).append('\n');
            }
        }
        return text.toString();
    }

    /** Reads what {@link #encode()} wrote; lines it cannot read (a field a newer version added) are skipped. */
    public static AlertSubject decode(String text) {
        Map<SilenceField, List<String>> fields = new EnumMap<>(SilenceField.class);
        for (String line : text.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab <= 0) {
                continue;
            }
            try {
                fields.computeIfAbsent(SilenceField.fromWire(line.substring(0, tab)), f -> new ArrayList<>()).add(line.substring(tab + 1));
            } catch (InvalidSilenceException unknownField) {
                // a field this version does not know matches nothing
            }
        }
        return new AlertSubject(fields);
    }

    private static void add(Map<SilenceField, Collection<String>> fields, SilenceField field, String value) {
        if (value != null && !value.isBlank()) {
            fields.computeIfAbsent(field, f -> new LinkedHashSet<>()).add(value);
        }
    }

    // A detail may be a name, a list of names, or an object with an id and a name (e.g. a hub): every string in it counts.
    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(element -> out.addAll(strings(element)));
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(element -> {
                if (element instanceof String s) {
                    out.add(s);
                }
            });
        }
        return out;
    }

    private static String oneLine(String value) {
        return value.replace('\n', ' ').replace('\t', ' ').strip();
    }

}
