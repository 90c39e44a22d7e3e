package dev.hadiag.core.event;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, immutable copies of JSON-shaped Java values: maps with string keys, lists, strings, numbers,
 * booleans and {@code null} (JSON's null is a legal payload value, so it is kept).
 */
public final class JsonValues {

    private JsonValues() {
    }

    /**
     * Copies a JSON object.
     *
     * @param path where the value sits, for the error message (e.g. {@code payload})
     * @throws IllegalArgumentException naming the path of a value that has no JSON form
     */
    public static Map<String, Object> copyObject(Map<?, ?> object, String path) {
        if (object.isEmpty()) {
            return Map.of(); // shared: tens of thousands of entity states carry no attributes worth keeping
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : object.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException(path + " has a non-string key: " + entry.getKey());
            }
            copy.put(key, copyValue(entry.getValue(), path + "." + key));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Object copyValue(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Double d) {
            return requireFinite(d, path);
        }
        if (value instanceof Float f) {
            return requireFinite(f.doubleValue(), path);
        }
        if (value instanceof Map<?, ?> map) {
            return copyObject(map, path);
        }
        if (value instanceof Collection<?> collection) {
            List<Object> copy = new ArrayList<>(collection.size());
            int index = 0;
            for (Object element : collection) {
                copy.add(copyValue(element, path + "[" + index++ + "]"));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(path + " has no JSON form: " + value.getClass().getName());
    }

    private static Double requireFinite(double value, String path) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(path + " must be a finite number, was " + value);
        }
        return value;
    }
}
