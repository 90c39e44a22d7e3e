package dev.hadiag.app.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the YAML file into dotted keys ({@code checks.recorder.backlog_threshold}) with the line each value is
 * on, so that every problem can name {@code file:line}. A key given twice in one mapping is a problem, not "the last
 * wins". Values stay text here; {@link ConfigLoader} types them.
 */
final class YamlSettingsFile {

    /** A value as written: a scalar ({@code text}) or a list of scalars ({@code items}). */
    record Raw(String text, List<String> items, String source) {
        boolean isList() {
            return items != null;
        }
    }

    private YamlSettingsFile() {
    }

    /** @throws ConfigException when the file cannot be read or is not a YAML mapping of settings */
    static Map<String, Raw> read(Path file) {
        Map<String, Raw> values = new LinkedHashMap<>();
        List<ConfigProblem> problems = new ArrayList<>();
        try (JsonParser parser = new YAMLFactory().createParser(file.toFile())) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return values; // an empty file: all defaults
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ConfigException(List.of(new ConfigProblem("(file)", at(file, parser.currentTokenLocation()),
                        "the file must be a mapping of settings (key: value)")));
            }
            readObject(parser, file, "", values, problems);
        } catch (JsonProcessingException e) {
            throw new ConfigException(List.of(new ConfigProblem("(file)", at(file, e.getLocation()),
                    "not valid YAML: " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem("(file)", file.toString(), "cannot be read: " + e.getMessage())));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return values;
    }

    private static void readObject(JsonParser parser, Path file, String prefix, Map<String, Raw> values,
            List<ConfigProblem> problems) throws IOException {
        // YAML parsers keep the last of two equal keys (two `checks:` sections would merge): a duplicate is a mistake to name.
        Map<String, String> seen = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = prefix + parser.currentName();
            String keyAt = at(file, parser.currentTokenLocation());
            String first = seen.putIfAbsent(parser.currentName(), keyAt);
            if (first != null) {
                problems.add(new ConfigProblem(key, keyAt, "duplicate key: '" + parser.currentName() + "' is already at " + first
                        + " (YAML would keep only the last one)"));
            }
            JsonToken value = parser.nextToken();
            String source = at(file, parser.currentTokenLocation());
            if (value == JsonToken.START_OBJECT) {
                readObject(parser, file, key + ".", values, problems);
            } else if (value == JsonToken.START_ARRAY) {
                List<String> items = new ArrayList<>();
                JsonToken item;
                while ((item = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (item.isStructStart()) {
                        problems.add(new ConfigProblem(key, at(file, parser.currentTokenLocation()), "expected a list of plain values"));
                        parser.skipChildren();
                    } else {
                        items.add(item == JsonToken.VALUE_NULL ? "" : parser.getText());
                    }
                }
                values.put(key, new Raw(null, items, source));
            } else {
                values.put(key, new Raw(value == JsonToken.VALUE_NULL ? "" : parser.getText(), null, source));
            }
        }
    }

    private static String at(Path file, JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? file.toString() : file + ":" + location.getLineNr();
    }
}
