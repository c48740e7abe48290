package io.pgmesh.orchestrator.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Jackson tree field by field, keeping the JSON path of every value and collecting problems as
 * "path: reason" instead of stopping at the first. JSON null counts as absent. Values of the wrong JSON type
 * are reported without echoing them (they may be passwords).
 */
final class JsonWalker {

    private final List<String> problems = new ArrayList<>();
    private final Set<String> failedPaths = new HashSet<>();

    void problem(String path, String reason) {
        problems.add((path.isEmpty() ? "(document)" : path) + ": " + reason);
        failedPaths.add(path);
    }

    List<String> problems() {
        return problems;
    }

    int count() {
        return problems.size();
    }

    /** Whether a problem was recorded for {@code path} or for an object or array containing it. */
    boolean failedAtOrAbove(String path) {
        for (String p = path; ; p = parent(p)) {
            if (failedPaths.contains(p)) {
                return true;
            }
            if (p.isEmpty()) {
                return false;
            }
        }
    }

    /** Whether a problem was recorded for {@code path} or anything inside it. */
    boolean failedAtOrBelow(String path) {
        return failedPaths.stream().anyMatch(p -> p.equals(path) || p.startsWith(path + ".") || p.startsWith(path + "["));
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }

    /** {@code node} as an object whose keys are all in {@code keys}; null (problem recorded) if not an object. */
    ObjectNode object(JsonNode node, String path, List<String> keys) {
        if (!(node instanceof ObjectNode obj)) {
            problem(path, "must be an object");
            return null;
        }
        Iterator<String> names = obj.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!keys.contains(name)) {
                problem(child(path, printable(name)), "unknown key" + suggestion(name, keys)
                        .map(s -> " (did you mean '" + s + "'?)").orElse(" (expected one of " + keys + ")"));
            }
        }
        return obj;
    }

    /** The value at {@code key}, or null when absent or JSON null (a problem recorded if required). */
    JsonNode field(ObjectNode obj, String path, String key, boolean required) {
        JsonNode value = obj == null ? null : obj.get(key);
        if (value == null || value.isNull()) {
            if (required && obj != null) {
                problem(child(path, key), "is required");
            }
            return null;
        }
        return value;
    }

    ObjectNode objectField(ObjectNode obj, String path, String key, boolean required, List<String> keys) {
        JsonNode value = field(obj, path, key, required);
        return value == null ? null : object(value, child(path, key), keys);
    }

    ArrayNode arrayField(ObjectNode obj, String path, String key, boolean required) {
        JsonNode value = field(obj, path, key, required);
        if (value == null) {
            return null;
        }
        if (!(value instanceof ArrayNode array)) {
            problem(child(path, key), "must be an array");
            return null;
        }
        return array;
    }

    String string(ObjectNode obj, String path, String key, boolean required) {
        JsonNode value = field(obj, path, key, required);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            problem(child(path, key), "must be a string");
            return null;
        }
        return value.textValue();
    }

    /** A string, number or boolean as text (e.g. a column default). */
    String scalarText(ObjectNode obj, String path, String key) {
        JsonNode value = field(obj, path, key, false);
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isNumber()) {
            return value.isBigDecimal() ? value.decimalValue().toPlainString() : value.asText();
        }
        if (value.isBoolean()) {
            return value.asText();
        }
        problem(child(path, key), "must be a string, number or boolean");
        return null;
    }

    Integer integer(ObjectNode obj, String path, String key, boolean required) {
        JsonNode value = field(obj, path, key, required);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            problem(child(path, key), "must be an integer");
            return null;
        }
        return value.intValue();
    }

    boolean bool(ObjectNode obj, String path, String key, boolean absent) {
        JsonNode value = field(obj, path, key, false);
        if (value == null) {
            return absent;
        }
        if (!value.isBoolean()) {
            problem(child(path, key), "must be true or false");
            return absent;
        }
        return value.booleanValue();
    }

    /** An IPv4 dotted quad. */
    Ipv4Address address(ObjectNode obj, String path, String key, boolean required) {
        String text = string(obj, path, key, required);
        if (text == null) {
            return null;
        }
        Optional<Ipv4Address> address = Ipv4Address.parse(text);
        if (address.isEmpty()) {
            problem(child(path, key), "'" + printable(text) + "' is not an IPv4 address (a.b.c.d)"
                    + (text.contains("/") ? "; give the prefix length in netbits" : ""));
            return null;
        }
        return address.get();
    }

    /** Text safe to show in a one-line message: control characters replaced, long text cut. */
    static String printable(String s) {
        String shown = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    /** The closest allowed key, if close enough to be a likely typo. */
    static Optional<String> suggestion(String key, List<String> keys) {
        String k = normalize(key);
        int tolerance = key.length() <= 4 ? 1 : 2;
        return keys.stream()
                .filter(c -> normalize(c).equals(k)
                        || distance(key.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT)) <= tolerance)
                .min(Comparator.comparingInt(c -> distance(key, c)));
    }

    private static String normalize(String s) {
        return s.replaceAll("[_\\-]", "").toLowerCase(Locale.ROOT);
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
